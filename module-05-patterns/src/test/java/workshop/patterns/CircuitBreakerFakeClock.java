package workshop.patterns;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link CircuitBreakerClock} whose time moves only when the test says so. {@link #holdNextRead()} makes the next
 * {@link #nanoTime()} call park until the test releases it, so that a test can hold one caller in the middle of the
 * breaker's decision while another caller makes its whole call.
 */
final class CircuitBreakerFakeClock implements CircuitBreakerClock {

    /** Not zero: a breaker must not assume that time starts at 0. */
    static final long START = 987_654_321_000L;

    /** A read of the clock that the test holds. */
    static final class HeldRead {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread reader;
    }

    private final AtomicLong now = new AtomicLong(START);
    private final AtomicReference<HeldRead> nextHeld = new AtomicReference<>();

    @Override
    public long nanoTime() {
        HeldRead held = nextHeld.getAndSet(null);
        if (held != null) {
            held.reader = Thread.currentThread();
            held.arrived.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    held.release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return now.get();
    }

    /** Moves the time forward by {@code step}. */
    void advance(Duration step) {
        now.addAndGet(step.toNanos());
    }

    /** The next {@link #nanoTime()} call, by whichever thread, parks until the returned read is released. */
    HeldRead holdNextRead() {
        HeldRead held = new HeldRead();
        nextHeld.set(held);
        return held;
    }
}
