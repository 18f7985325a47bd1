package workshop.goroutines;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition zero = lock.newCondition();
    private long counter;
    private long rounds; // how often the counter has reached zero: a waiter waits for the end of the round it saw

    /**
     * Adds {@code delta}, which may be negative, to the counter. When the counter becomes zero, every thread
     * blocked in {@link #await()} is released. Does not wait for the counter to change; it may briefly wait for
     * another thread that is changing it.
     *
     * @throws IllegalStateException if the counter would become negative (Go panics); the counter is left unchanged
     */
    public void add(int delta) {
        lock.lock();
        try {
            long next = counter + delta;
            if (next < 0) {
                throw new IllegalStateException("negative WaitGroup counter: " + counter + " + " + delta);
            }
            counter = next;
            if (next == 0 && delta != 0) {
                rounds++; // this round is over, even if an add starts the next one before the waiters run
                zero.signalAll(); // every waiter, not just one
            }
        } finally {
            lock.unlock();
        }
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
        lock.lockInterruptibly();
        try {
            long round = rounds;
            while (counter != 0 && rounds == round) { // a loop: wake-ups can be spurious
                zero.await();
            }
        } finally {
            lock.unlock();
        }
    }
}
