package workshop.gc.examples;

import java.lang.management.ManagementFactory;

/**
 * Escape analysis, seen only through its effect: a record that never leaves its method costs 24 bytes per call in the
 * interpreter and C1, and nothing once C2 has compiled the loop; one that is stored where others can see it costs 24
 * bytes under every compiler. Run it plain, with {@code -Xint} and with {@code -XX:-DoEscapeAnalysis}.
 */
public final class Escape {

    private Escape() {
    }

    // tag::scalar-replacement[]
    record Point(int x, int y) {}

    static final Point[] SEEN = new Point[1024];

    static int stays(int i) {
        Point p = new Point(i, i + 1); // never leaves the method: C2 may keep x and y in registers
        return p.x() + p.y();
    }

    static int escapes(int i) {
        Point p = new Point(i, i + 1);
        SEEN[i & 1023] = p;            // reachable from a static: a heap allocation for every compiler
        return p.x() + p.y();
    }
    // end::scalar-replacement[]

    static volatile int result;

    // tag::bytes-per-op[]
    static double bytesPerCall(java.util.function.IntUnaryOperator call, int calls) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes(); // exact, and counts only this thread
        int sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += call.applyAsInt(i);
        }
        long after = threads.getCurrentThreadAllocatedBytes();
        result = sum;                                           // used: the loop cannot be removed
        return (after - before) / (double) calls;
    }
    // end::bytes-per-op[]

    public static void main(String[] args) {
        for (int round = 1; round <= 8; round++) {
            System.out.printf("round %d: stays %.1f B/call, escapes %.1f B/call%n", round,
                    bytesPerCall(Escape::stays, 1_000_000), bytesPerCall(Escape::escapes, 1_000_000));
        }
    }
}
