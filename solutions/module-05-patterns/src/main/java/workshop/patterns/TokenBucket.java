package workshop.patterns;

import java.util.Objects;

/**
 * Exercise 05.4: A token bucket
 *
 * <p>A rate limiter as Go's {@code golang.org/x/time/rate.Limiter}: a bucket of at most {@code burst} tokens, refilled
 * at {@code rate} tokens per second; each permit takes one token. Time comes from an injected clock.
 *
 * <pre>{@code
 * lim := rate.NewLimiter(rate.Limit(10), 3)  // 10 tokens/s, burst 3; starts full
 * if lim.Allow() { ... }                     // a token now, or false
 * err := lim.Wait(ctx)                       // blocks until its token is due; ctx cancelled: no token taken
 * }</pre>
 */
public final class TokenBucket {

    private final TokenBucketClock clock;
    private final double tokensPerNano;
    private final int burst;
    // Guarded by this. May go below zero: waiters reserve tokens not yet refilled (x/time/rate's reservations), so
    // the order of their deadlines is the order of their arrival.
    private double tokens;
    private long last;

    /**
     * A full bucket: {@code burst} tokens, refilled at {@code tokensPerSecond} (fractions of a token count) up to
     * {@code burst}, never beyond, however long it stays unused.
     *
     * @param clock the time source: the bucket reads the time and waits through it only
     */
    public TokenBucket(double tokensPerSecond, int burst, TokenBucketClock clock) {
        if (!(tokensPerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive: " + tokensPerSecond + ", " + burst);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokensPerNano = tokensPerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = clock.nanoTime();
    }

    /**
     * Takes a token if one is available now, without waiting. Fair: a token that callers of {@link #acquire()} are
     * already waiting for is theirs, not this method's.
     *
     * @return whether a token was taken
     */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Takes a token, waiting on the clock ({@link TokenBucketClock#sleepUntil}) until one is due. Waiters are served
     * in arrival order (first come, first served).
     *
     * @throws InterruptedException if the caller is interrupted while waiting: then no token was taken (it is left
     *                              for others) and the interrupt status is clear
     */
    public void acquire() throws InterruptedException {
        long due;
        synchronized (this) {
            refill();
            tokens -= 1; // reserved: later arrivals wait longer
            if (tokens >= 0) {
                return;
            }
            due = last + (long) Math.ceil(-tokens / tokensPerNano);
        }
        try {
            clock.sleepUntil(due);
        } catch (InterruptedException e) {
            synchronized (this) {
                refill();
                tokens = Math.min(burst, tokens + 1); // give the reservation back
            }
            throw e;
        }
    }

    private void refill() {
        long now = clock.nanoTime();
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * tokensPerNano);
            last = now;
        }
    }
}
