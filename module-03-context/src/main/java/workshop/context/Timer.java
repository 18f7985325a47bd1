package workshop.context;

import java.time.Instant;

/**
 * The clock and alarm a {@link Context} reads its deadlines from. Production code uses {@link #system()}; a test
 * passes a fake whose time only moves when the test says so, so that no test depends on how fast a machine is.
 */
public interface Timer {

    /** The current instant of this timer's clock. */
    Instant now();

    /**
     * Runs {@code task} once at or after {@code at}, on a thread of the timer's own (never on the caller's).
     * An instant in the past runs it as soon as possible.
     *
     * @return a handle whose {@link Scheduled#cancel()} stops the task if it has not started yet
     */
    Scheduled schedule(Instant at, Runnable task);

    /** A task scheduled with {@link #schedule}. */
    @FunctionalInterface
    interface Scheduled {
        /** Stops the task; {@code true} if this call prevented it from running, {@code false} if it ran or started. */
        boolean cancel();
    }

    /** The system clock and a virtual thread per scheduled task: the timer of {@link Context#background()}. */
    static Timer system() {
        return SystemTimer.INSTANCE;
    }
}
