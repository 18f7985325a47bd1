package workshop.gc.examples;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * Which collector runs, how big its heap is, and a soft heap limit changed while the JVM runs (the JVM's
 * {@code debug.SetMemoryLimit}). Run it with different collectors: {@code -XX:+UseZGC}, {@code -XX:+UseParallelGC},
 * {@code -XX:+UseShenandoahGC}, and with {@code -Xlog:gc} to see what the soft limit does.
 */
public final class Collectors {

    private Collectors() {
    }

    // tag::which-gc[]
    static void describe() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.printf("%-22s collections=%d time=%d ms%n", // G1: "G1 Young Generation", ...
                    gc.getName(), gc.getCollectionCount(), gc.getCollectionTime());
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf("heap: used %d MB, committed %d MB, max %d MB (-Xmx, or MaxRAMPercentage of RAM)%n",
                heap.getUsed() >> 20, heap.getCommitted() >> 20, heap.getMax() >> 20);
    }
    // end::which-gc[]

    // tag::soft-max-at-runtime[]
    static void lowerTheSoftLimit(long megabytes) {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        System.out.println("before: " + hotspot.getVMOption("SoftMaxHeapSize").getValue());
        hotspot.setVMOption("SoftMaxHeapSize", String.valueOf(megabytes << 20)); // a "manageable" flag
        System.out.println("after:  " + hotspot.getVMOption("SoftMaxHeapSize").getValue());
        // the same from outside: jcmd <pid> VM.set_flag SoftMaxHeapSize 314572800
    }
    // end::soft-max-at-runtime[]

    public static void main(String[] args) {
        describe();
        lowerTheSoftLimit(300);
        describe();
    }
}
