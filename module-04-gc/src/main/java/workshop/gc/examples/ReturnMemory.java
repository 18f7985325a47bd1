package workshop.gc.examples;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the heap shrink when the data is gone? Fills 400 MB, drops it, asks for a collection, and prints the committed
 * heap (the memory the JVM holds from the OS for its heap) over the next seconds. Compare {@code -XX:+UseG1GC},
 * {@code -XX:+UseZGC} and {@code -XX:+UseShenandoahGC}, each with {@code -Xmx1g}.
 */
public final class ReturnMemory {

    private ReturnMemory() {
    }

    // tag::return-memory[]
    static long committedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20;
    }

    static void fillDropAndWatch() throws InterruptedException {
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            data.add(new byte[1 << 20]);
        }
        System.out.println("full: committed " + committedMb() + " MB");
        data = null;
        System.gc(); // G1: a full GC that shrinks the heap (MaxHeapFreeRatio); ZGC, Shenandoah: uncommit later
        for (int s = 0; s <= 6; s += 2) {
            System.out.println("after " + s + " s: committed " + committedMb() + " MB");
            Thread.sleep(2_000);
        }
    }
    // end::return-memory[]

    public static void main(String[] args) throws InterruptedException {
        fillDropAndWatch();
    }
}
