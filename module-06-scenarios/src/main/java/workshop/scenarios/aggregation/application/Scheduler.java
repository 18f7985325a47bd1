package workshop.scenarios.aggregation.application;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

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

    /**
     * The real one: a virtual thread per action that sleeps for the delay. Cancelling it before the action has started
     * interrupts the sleep and the action never runs; cancelling it once the action has started does nothing (the
     * action is not interrupted).
     */
    static Scheduler system() {
        return (delay, action) -> {
            AtomicInteger state = new AtomicInteger(); // 0 pending, 1 started, 2 cancelled
            Thread timer = Thread.ofVirtual().name("scheduler").start(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException cancelled) {
                    return;
                }
                if (state.compareAndSet(0, 1)) {
                    action.run();
                }
            });
            return () -> {
                if (state.compareAndSet(0, 2)) {
                    timer.interrupt();
                }
            };
        };
    }
}
