package workshop.patterns;

import workshop.support.threads.ThreadDumps;

/**
 * 05.2: counts the threads, virtual ones included, that run the fan-out's code or a call, from the support module's
 * thread dump (it walks the JDK's thread containers, the only view that lists virtual threads, and never takes a JSON
 * dump, which can crash a JDK 25.0.3 JVM while many virtual threads start or end). A thread started for an input that
 * waits for a slot inside the fan-out's code counts, as it should: the limit bounds threads, not only calls.
 */
final class FanOutThreads {

    private FanOutThreads() {
    }

    /**
     * The threads other than {@code caller} and the test's own with a frame of {@code workshop.patterns.BoundedFanOut*}
     * (the fan-out's code or a test's call) on their stack.
     */
    static int countBusy(Thread caller) {
        long self = Thread.currentThread().threadId();
        return ThreadDumps.take(thread -> thread.id() != caller.threadId() && thread.id() != self
                && thread.stack().stream().anyMatch(frame -> frame.contains("workshop.patterns.BoundedFanOut")),
                Integer.MAX_VALUE).matched();
    }
}
