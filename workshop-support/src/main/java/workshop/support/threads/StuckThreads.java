package workshop.support.threads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a failure shows when something did not finish in time: every thread the current test started (the harness's
 * threads that call the code under test among them), where each one is in the exercise's code, and whether it waits
 * (parked: a deadlock or a signal nobody sends), sleeps in a loop (sleep-polling) or runs without ever waiting
 * (spinning). It looks twice, a moment apart, to tell a spinning thread from one that happened to be running.
 *
 * <p>The test extension tells it which threads were alive before the current test ({@link #testStarted}); without
 * that (a wait outside a test) it shows every thread that is not the JVM's own.
 */
public final class StuckThreads {

    /** How long apart the two looks are: a thread RUNNABLE at both never stopped to wait in between. */
    private static final Duration SECOND_LOOK = Duration.ofMillis(200);

    /** How many threads a report describes. */
    private static final int SHOWN = 20;

    private static volatile Set<Long> currentTestBaseline = Set.of();

    private StuckThreads() {
    }

    /** The threads alive before the current test began; the extension calls this before each test. */
    public static void testStarted(Set<Long> baseline) {
        currentTestBaseline = Set.copyOf(baseline);
    }

    /** The current test is over; the extension calls this after each test. */
    public static void testEnded() {
        currentTestBaseline = Set.of();
    }

    /** A report: one sentence that says what the threads are doing, then the threads. */
    public record Report(String diagnosis, String threads, boolean spinning) {
        @Override
        public String toString() {
            return diagnosis + "\n" + threads;
        }
    }

    /**
     * Looks at the threads of the current test now, and again a moment later. Blocks the caller for about 200 ms.
     *
     * @param focus thread ids to list first (the test's own thread, a call the test waits for)
     */
    public static Report report(long... focus) {
        return report(currentTestBaseline, focus);
    }

    /** As {@link #report(long...)}, against an explicit baseline of threads that were alive before. */
    public static Report report(Set<Long> baseline, long... focus) {
        long me = Thread.currentThread().threadId();
        ThreadDumps.Sample first = LeakDetector.involvedThreads(baseline);
        LockSupport.parkNanos(SECOND_LOOK.toNanos());
        Map<Long, ThreadSnapshot> second = LeakDetector.involvedThreads(baseline).threads().stream()
                .collect(Collectors.toMap(ThreadSnapshot::id, Function.identity(), (a, b) -> a));

        List<Long> focused = Arrays.stream(focus).boxed().toList();
        List<ThreadSnapshot> involved = new ArrayList<>(first.threads().stream().filter(t -> t.id() != me).toList());
        involved.sort(Comparator.comparing((ThreadSnapshot t) -> !focused.contains(t.id()))
                .thenComparing(t -> !t.inExerciseCode()));
        int total = first.matched() - (involved.size() < first.threads().size() ? 1 : 0);

        boolean spinning = false;
        boolean sleeping = false;
        StringBuilder threads = new StringBuilder("Threads involved (" + total + "):");
        for (int i = 0; i < involved.size(); i++) {
            ThreadSnapshot thread = involved.get(i);
            ThreadSnapshot later = second.get(thread.id());
            String label = "";
            if (isRunning(thread) && later != null && isRunning(later)) {
                label = "-- SPINNING: it was running at two looks " + SECOND_LOOK.toMillis()
                        + " ms apart and never stopped to wait";
                spinning = true;
            } else if (thread.sleeping()) {
                label = "-- SLEEP-POLLING: it waits by the clock in Thread.sleep, not for a signal";
                sleeping = true;
            } else if (isInIo(thread)) {
                label = "-- in I/O";
            }
            if (i < SHOWN) {
                threads.append("\n  - ").append(thread.describe(8)).append(label.isEmpty() ? "" : "\n    " + label);
            }
        }
        if (total > SHOWN) {
            threads.append("\n  ... and ").append(total - SHOWN).append(" more");
        }
        String diagnosis = spinning
                ? "A thread is running and never stops to wait (it spins): an infinite loop, or a busy wait for "
                  + "something that never happens? A thread that waits should park (WAITING) until it is signalled."
                : sleeping
                ? "A thread waits by sleeping in a loop (sleep-polling): it sees a change late or never. Wait for a "
                  + "signal instead (a lock's condition, a latch, a future, a queue)."
                : "Every thread involved is blocked, waiting for another: a deadlock, or a wait for a signal nobody "
                  + "sends (Go would stop with \"fatal error: all goroutines are asleep - deadlock!\").";
        return new Report(diagnosis, threads.toString(), spinning);
    }

    private static boolean isRunning(ThreadSnapshot thread) {
        return thread.state().equals("RUNNABLE") && !isInIo(thread);
    }

    private static boolean isInIo(ThreadSnapshot thread) {
        return thread.state().equals("RUNNABLE") && thread.stack().stream().limit(6).anyMatch(frame ->
                frame.startsWith("java.base/sun.nio.ch.") || frame.startsWith("java.base/java.net.")
                        || frame.startsWith("java.base/java.io.FileInputStream.read")
                        || frame.contains("(Native Method)") && frame.contains("read"));
    }
}
