// Wrong answer for 01.5: hits() reads the count without the lock hit() writes it under, so it may see a stale value
package workshop.goroutines;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Exercise 01.5: Lost updates on a shared counter
 *
 * <p>Many threads count hits at once and some hits vanish. Make {@link #hit()} lose none.
 *
 * <pre>{@code
 * hits++            // in many goroutines: a data race; `go test -race` reports it
 * atomic.AddInt64(&hits, 1)   // or mu.Lock(); hits++; mu.Unlock()
 * }</pre>
 *
 * <p>The tests use {@code betweenReadAndWrite} to pause a thread exactly where a preemption hurts most.
 */
public final class HitCounter {

    private final Runnable betweenReadAndWrite;
    private final ReentrantLock lock = new ReentrantLock();
    private int hits;

    public HitCounter() {
        this(() -> { });
    }

    /**
     * @param betweenReadAndWrite runs after the count was read and before the new count is written; a solution keeps
     *                            that call between its read and its write, inside whatever makes the two one step
     */
    HitCounter(Runnable betweenReadAndWrite) {
        this.betweenReadAndWrite = betweenReadAndWrite;
    }

    /** Counts one hit. Safe to call from many threads at once. */
    public void hit() {
        // The read and the write form one critical section; nobody can read in between. (An AtomicInteger in a
        // compareAndSet loop would do it without a lock, with the seam between its get and its compareAndSet.)
        lock.lock();
        try {
            int seen = hits;
            betweenReadAndWrite.run();
            hits = seen + 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The hits counted so far.
     *
     * <p>Memory consistency effects: every {@link #hit()} that returned before this call started is counted.
     */
    public int hits() {
        return hits; // no lock: "it is only a read"
    }
}
