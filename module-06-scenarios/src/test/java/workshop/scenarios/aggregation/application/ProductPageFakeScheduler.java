package workshop.scenarios.aggregation.application;

import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Scheduler} whose actions run only when the test fires them (06.3): it records every action with its delay,
 * and {@link #fire} runs the pending ones of a given delay on a thread of its own (never the test's), waiting until
 * they have run. It counts the live actions (scheduled, neither run nor cancelled), so that a test can check that
 * {@code load} cancelled its timers.
 */
final class ProductPageFakeScheduler implements Scheduler {

    private enum State { PENDING, FIRED, CANCELLED }

    private static final class Timer {
        final Duration delay;
        final Runnable action;
        State state = State.PENDING; // guarded by the scheduler

        Timer(Duration delay, Runnable action) {
            this.delay = delay;
            this.action = action;
        }
    }

    private final List<Timer> timers = new ArrayList<>();

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        Timer timer = new Timer(delay, action);
        synchronized (this) {
            timers.add(timer);
        }
        return () -> {
            synchronized (this) {
                if (timer.state == State.PENDING) {
                    timer.state = State.CANCELLED;
                }
            }
        };
    }

    /**
     * Runs every pending action scheduled with {@code delay}, as if that much time had passed for them only, and waits
     * until they have run. Fails, saying what is pending, if none is: {@code what} names the budget for the message.
     */
    void fire(Duration delay, String what) {
        List<Timer> due;
        List<Long> pending;
        synchronized (this) {
            pending = pendingDelaysInMillis();
            due = timers.stream().filter(t -> t.state == State.PENDING && t.delay.equals(delay)).toList();
            due.forEach(t -> t.state = State.FIRED);
        }
        if (due.isEmpty()) {
            throw new AssertionError("[06.3] expected an action scheduled after " + delay.toMillis() + " ms (" + what
                    + ") on the injected Scheduler, but the pending ones were after " + pending + " ms: schedule "
                    + "each call's budget and the request's on the Scheduler, and read no other clock (README 06.3)");
        }
        Background<Void> running = Background.run("[06.3] the fake scheduler fires " + what,
                () -> due.forEach(t -> t.action.run()));
        try {
            running.await(Patience.seconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the fake scheduler ran its actions", e);
        }
    }

    /** The delays of the actions scheduled and neither run nor cancelled, in milliseconds, sorted. */
    synchronized List<Long> pendingDelaysInMillis() {
        return timers.stream().filter(t -> t.state == State.PENDING).map(t -> t.delay.toMillis()).sorted().toList();
    }

    /** How many actions are scheduled and neither run nor cancelled. */
    synchronized int live() {
        return (int) timers.stream().filter(t -> t.state == State.PENDING).count();
    }
}
