package workshop.goroutines;

import workshop.support.NotSolvedYet;

/**
 * Exercise 01.4: Once with Go's semantics
 *
 * <p>Build Go's {@code sync.Once}: the first call runs the action, and no call returns before that action has.
 *
 * <pre>{@code
 * var once sync.Once
 * once.Do(loadConfig)   // only the first call runs loadConfig; the others wait until it has returned
 * }</pre>
 *
 * <p>Memory consistency effects: everything the action did happens-before every return from {@link #run}.
 */
public final class Once {

    /**
     * Runs {@code action} if and only if no call to {@code run} on this {@code Once} has run one before. A caller
     * that arrives while the action runs blocks until it has finished. If the action throws, the exception goes to
     * the caller that ran it, and the {@code Once} still counts as done: later calls return at once.
     *
     * <p>A waiting caller does not answer interruption (like Go's {@code Once.Do}, which cannot be cancelled): it
     * waits until the action has finished, and returns with its interrupt status still set.
     *
     * @throws IllegalStateException if called from inside the action, on the thread that runs it: that call can
     *                               neither run a second action nor wait for the action that is calling it (Go's
     *                               {@code Once.Do} deadlocks there). A call from another thread waits, as any does.
     */
    public void run(Runnable action) {
        // TODO 01.4: one caller runs the action; every other caller waits until it has finished
        throw new NotSolvedYet("01.4");
    }
}
