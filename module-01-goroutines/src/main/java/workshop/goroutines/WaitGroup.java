package workshop.goroutines;

import workshop.support.NotSolvedYet;

/**
 * Exercise 01.3: WaitGroup with Go's semantics
 *
 * <p>Build Go's {@code sync.WaitGroup}: a counter that {@link #await()} waits on until it drops to zero.
 *
 * <pre>{@code
 * wg.Add(3)          // counter += 3
 * go worker(&wg)     // each worker calls wg.Done(): counter -= 1
 * wg.Wait()          // blocks until the counter is zero; a negative counter panics
 * }</pre>
 *
 * <p>Memory consistency effects: actions in a thread prior to calling {@link #done()} or {@link #add(int)}
 * happen-before actions following the return of an {@link #await()} that was released by that change.
 */
public final class WaitGroup {

    /**
     * Adds {@code delta}, which may be negative, to the counter. When the counter becomes zero, every thread
     * blocked in {@link #await()} is released. Does not wait for the counter to change; it may briefly wait for
     * another thread that is changing it.
     *
     * @throws IllegalStateException if the counter would become negative (Go panics); the counter is left unchanged
     */
    public void add(int delta) {
        // TODO 01.3: change the counter; below zero is an error; at zero, wake every waiter
        throw new NotSolvedYet("01.3");
    }

    /** Decrements the counter by one: {@code add(-1)}. */
    public void done() {
        add(-1);
    }

    /**
     * Blocks until the counter is zero; returns at once if it already is. The waiting thread parks: it does not
     * spin. The group is reusable: after the counter reached zero, new {@code add} calls start a new round. A thread
     * blocked here when the counter reaches zero is released, even if an {@code add} starts a new round before that
     * thread gets to run again: it waited for the end of its round, not for the next one.
     *
     * @throws InterruptedException if interrupted while waiting; the counter is unaffected
     */
    public void await() throws InterruptedException {
        // TODO 01.3: park until the counter is zero
        throw new NotSolvedYet("01.3");
    }
}
