package workshop.context;

import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Timer} whose time moves only when the test calls {@link #advance}. Due tasks run on a background thread
 * of the timer's own (never the test's), and {@code advance} waits for them, so that a test reads the outcome right
 * after. It records every task, to check that a cancelled context released its timer.
 */
final class FakeTimer implements Timer {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private enum State { PENDING, RAN, CANCELLED }

    private static final class Task {
        final Instant at;
        final Runnable action;
        State state = State.PENDING;

        Task(Instant at, Runnable action) {
            this.at = at;
            this.action = action;
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private Instant now = START;

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public Scheduled schedule(Instant at, Runnable action) {
        Task task = new Task(at, action);
        boolean due;
        synchronized (this) {
            tasks.add(task);
            due = !at.isAfter(now);
        }
        if (due) { // in the past: as soon as possible, on a thread of the timer's own
            runDue();
        }
        return () -> {
            synchronized (this) {
                if (task.state != State.PENDING) {
                    return false;
                }
                task.state = State.CANCELLED;
                return true;
            }
        };
    }

    /** Moves the clock forward by {@code step} and runs the tasks now due, waiting until they have run. */
    void advance(Duration step) {
        synchronized (this) {
            now = now.plus(step);
        }
        runDue();
    }

    /** Moves the clock to {@code instant} (not backwards) and runs the tasks now due. */
    void advanceTo(Instant instant) {
        advance(Duration.between(now(), instant));
    }

    /** Tasks scheduled and neither run nor cancelled: a context not yet done, or one that forgot its timer. */
    synchronized int outstanding() {
        return (int) tasks.stream().filter(t -> t.state == State.PENDING).count();
    }

    /** Every task ever scheduled. */
    synchronized int scheduled() {
        return tasks.size();
    }

    private void runDue() {
        List<Task> due;
        synchronized (this) { // claim them under the lock, run them without it: they take the contexts' locks
            due = tasks.stream().filter(t -> t.state == State.PENDING && !t.at.isAfter(now))
                    .sorted(Comparator.comparing(t -> t.at)).toList();
            due.forEach(t -> t.state = State.RAN);
        }
        if (due.isEmpty()) {
            return;
        }
        try {
            Background.run("fake timer", () -> due.forEach(t -> t.action.run())).await(Patience.seconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the fake timer ran its tasks", e);
        }
    }
}
