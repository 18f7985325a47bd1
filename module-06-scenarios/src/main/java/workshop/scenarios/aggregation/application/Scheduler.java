package workshop.scenarios.aggregation.application;

import java.time.Duration;

/**
 * Runs an action after a delay: the use case's only source of time, so that tests can inject a fake one and cut a
 * late call deterministically (Go: {@code time.AfterFunc}, and {@code testing/synctest}'s fake clock in tests).
 */
@FunctionalInterface
public interface Scheduler {

    /** A scheduled action that has not run yet can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the action if it has not started; idempotent. */
        void cancel();
    }

    /**
     * Runs {@code action} once, after {@code delay}, on a thread of the scheduler's own. Never blocks the caller.
     */
    Cancellable schedule(Duration delay, Runnable action);

    /** The real one: a virtual thread per action that sleeps for the delay; cancelling interrupts the sleep. */
    static Scheduler system() {
        return (delay, action) -> {
            Thread timer = Thread.ofVirtual().name("scheduler").start(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException cancelled) {
                    return;
                }
                action.run();
            });
            return timer::interrupt;
        };
    }
}
