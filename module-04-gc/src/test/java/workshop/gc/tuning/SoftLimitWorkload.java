package workshop.gc.tuning;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;

/**
 * 04.8's workload, run in a child JVM: a service with {@code args[0]} MB of live data that allocates heavily (8 KB
 * arrays, with a little work on each, the way a request handler does). It warms up over {@code args[1]} MB of
 * allocation, then allocates {@code args[2]} MB more and samples the heap's used bytes after every 2 MB; last comes a
 * burst: {@code args[3]} MB more live data for a moment, then dropped. Each 2 MB takes at least {@code args[4]}
 * microseconds, the way a service's allocation follows its request rate. It prints its heap flags, the samples in MB
 * ({@code used-mb=}, comma-separated), {@code burst-start} before the burst and {@code done} at the end.
 */
final class SoftLimitWorkload {

    private static final int WORK_PER_ARRAY = 200;

    /** Static, so that no compiler can decide the live data is dead before the end. */
    static final List<byte[]> LIVE = new ArrayList<>();
    static List<byte[]> burst;

    private SoftLimitWorkload() {
    }

    static void main(String[] args) {
        var flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        var softMax = flags.getVMOption("SoftMaxHeapSize");
        System.out.println("max-heap-bytes=" + flags.getVMOption("MaxHeapSize").getValue());
        System.out.println("soft-max-heap-bytes=" + softMax.getValue());
        System.out.println("soft-max-heap-origin=" + softMax.getOrigin());
        System.out.flush();
        int liveMb = Integer.parseInt(args[0]);
        int warmUpMb = Integer.parseInt(args[1]);
        int measuredMb = Integer.parseInt(args[2]);
        int burstMb = Integer.parseInt(args[3]);
        long stepNanos = Long.parseLong(args[4]) * 1000;

        for (int i = 0; i < liveMb * 64; i++) {
            LIVE.add(new byte[16 * 1024]);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        byte[][] recent = new byte[256][]; // the last 2 MB allocated stay reachable for a while, as requests in flight
        long sink = 0;
        StringJoiner samples = new StringJoiner(",");
        for (int step = -warmUpMb / 2; step < measuredMb / 2; step++) {
            long stepStart = System.nanoTime();
            for (int k = 0; k < recent.length; k++) {
                byte[] array = new byte[8 * 1024];
                for (int w = 0; w < WORK_PER_ARRAY; w++) {
                    array[w & (array.length - 1)] += (byte) w;
                }
                recent[k] = array;
                sink += array[k];
            }
            if (step >= 0) {
                samples.add(String.valueOf(memory.getHeapMemoryUsage().getUsed() >> 20));
            }
            long left = stepNanos - (System.nanoTime() - stepStart);
            if (left > 0) { // a service has a request rate: it does not allocate faster than its load asks
                LockSupport.parkNanos(left);
            }
        }
        System.out.println("used-mb=" + samples);
        System.out.println("burst-start");
        System.out.flush();
        burst = new ArrayList<>();
        for (int i = 0; i < burstMb * 64; i++) {
            burst.add(new byte[16 * 1024]);
        }
        System.out.println("burst-mb=" + burst.size() / 64);
        burst = null;
        System.out.println("sink=" + sink);
        System.out.println("done");
    }
}
