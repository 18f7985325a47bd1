package workshop.gc.tuning;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * 04.7's workload, run in a child JVM: a service that holds {@code args[0]} MB of live data (in 32 KB arrays, small
 * enough not to be "humongous" for any collector on these heaps) while it keeps allocating short-lived garbage. It
 * prints its heap limit first ({@code max-heap-bytes=}, the JVM's {@code MaxHeapSize} flag), then {@code done} if it
 * got to the end.
 */
final class ContainerWorkload {

    /** Static, so that no compiler can decide the live data is dead before the end. */
    static final List<byte[]> LIVE = new ArrayList<>();

    private ContainerWorkload() {
    }

    static void main(String[] args) {
        var flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        System.out.println("max-heap-bytes=" + flags.getVMOption("MaxHeapSize").getValue());
        System.out.flush();
        int liveMb = Integer.parseInt(args[0]);
        long sink = 0;
        for (int i = 0; i < liveMb * 32; i++) {
            LIVE.add(new byte[32 * 1024]);
            for (int j = 0; j < 4; j++) { // 128 KB of garbage per 32 KB kept
                byte[] garbage = new byte[32 * 1024];
                garbage[j] = (byte) i;
                sink += garbage[j];
            }
        }
        for (int i = 0; i < 200 * 32; i++) { // then 200 MB more garbage, with all the live data held
            byte[] garbage = new byte[32 * 1024];
            garbage[i % garbage.length] = 1;
            sink += garbage[0];
        }
        System.out.println("live-mb=" + LIVE.size() / 32);
        System.out.println("sink=" + sink);
        System.out.println("done");
    }
}
