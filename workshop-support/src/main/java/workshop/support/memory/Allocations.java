package workshop.support.memory;

import org.junit.jupiter.api.Assumptions;

import java.lang.management.ManagementFactory;

/**
 * How many bytes of heap an operation allocates, counted by the JVM for the calling thread
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}): exact, and free to read (two reads in a
 * row differ by 0 bytes), unlike a sampling profiler.
 *
 * <p>An allocation that escapes (is stored or returned) counts the same in the interpreter, C1 and C2; one that C2
 * can scalar-replace counts until C2 has compiled the code, and when that happens depends on the load. So a test
 * takes the least of a few rounds and asserts a loose upper bound that a correct answer meets even interpreted and a
 * wrong one misses even compiled: never exact bytes, never a number that needs escape analysis.
 */
public final class Allocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Rounds measured by {@link #bytesPerOp}; the least counts. */
    public static final int ROUNDS = 5;

    private Allocations() {
    }

    /** Bytes the calling thread has allocated so far; aborts the test if this JVM cannot count them. */
    public static long allocatedSoFar(String id) {
        long bytes = THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled()
                ? THREADS.getCurrentThreadAllocatedBytes() : -1;
        Assumptions.assumeTrue(bytes >= 0, "[" + id + "] this test counts the bytes a thread allocates, and this JVM "
                + "(or this thread) cannot count them");
        return bytes;
    }

    /**
     * Runs {@code op} {@code ops} times per round for {@value #ROUNDS} rounds on the calling thread, and returns the
     * least bytes per operation of a round, allocated by the calling thread (what other threads allocate does not
     * count). The first round also warms the code up.
     */
    public static double bytesPerOp(String id, int ops, Runnable op) {
        if (ops <= 0) {
            throw new IllegalArgumentException("ops must be positive: " + ops);
        }
        double least = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long before = allocatedSoFar(id);
            for (int i = 0; i < ops; i++) {
                op.run();
            }
            long after = allocatedSoFar(id);
            least = Math.min(least, (after - before) / (double) ops);
        }
        return least;
    }
}
