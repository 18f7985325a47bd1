package workshop.patterns;

import java.util.concurrent.TimeUnit;

/**
 * The time source of exercise 05.4's {@link TokenBucket}: it reads the time and waits for it, so that a test can
 * replace it by a clock it moves by hand (Go's {@code testing/synctest} gives Go tests the same control).
 */
public interface TokenBucketClock {

    /** The current time in nanoseconds, from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /**
     * Blocks until {@link #nanoTime()} is at least {@code deadline}; returns at once if it is already.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting (the status is then clear)
     */
    void sleepUntil(long deadline) throws InterruptedException;

    /** The system clock: {@link System#nanoTime()} and {@link TimeUnit#sleep}. */
    static TokenBucketClock system() {
        return new TokenBucketClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepUntil(long deadline) throws InterruptedException {
                for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        };
    }
}
