package workshop.patterns;

import java.time.Duration;

/**
 * A {@link TokenBucketClock} whose time moves only when the test says so. {@link #sleepUntil} waits on this object's
 * monitor with no time-out (a waiter is {@code WAITING}), and {@link #advance} wakes the sleepers;
 * {@link #advanceQuietly} moves the time without waking anyone, so that a test can act before the waiters do.
 */
final class TokenBucketFakeClock implements TokenBucketClock {

    /** Not zero: a bucket must not assume that time starts at 0. */
    static final long START = 1_234_567_890_123L;

    private long now = START;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleepUntil(long deadline) throws InterruptedException {
        while (now < deadline) {
            wait();
        }
    }

    /** Moves the time forward by {@code step} and wakes the sleepers. */
    synchronized void advance(Duration step) {
        now += step.toNanos();
        notifyAll();
    }

    /** Moves the time forward by {@code step}; the sleepers sleep on until {@link #wakeSleepers()}. */
    synchronized void advanceQuietly(Duration step) {
        now += step.toNanos();
    }

    synchronized void wakeSleepers() {
        notifyAll();
    }
}
