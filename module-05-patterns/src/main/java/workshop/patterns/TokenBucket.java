package workshop.patterns;

import workshop.support.NotSolvedYet;

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
        // TODO 05.4: what does the bucket need to remember to know how many tokens it holds at any later time?
    }

    /**
     * Takes a token if one is available now, without waiting. Fair: a token that callers of {@link #acquire()} are
     * already waiting for is theirs, not this method's.
     *
     * @return whether a token was taken
     */
    public boolean tryAcquire() {
        // TODO 05.4: refill by the time that passed, without losing fractions, capped at the burst
        throw new NotSolvedYet("05.4");
    }

    /**
     * Takes a token, waiting on the clock ({@link TokenBucketClock#sleepUntil}) until one is due. Waiters are served
     * in arrival order (first come, first served).
     *
     * @throws InterruptedException if the caller is interrupted while waiting: then no token was taken (it is left
     *                              for others) and the interrupt status is clear
     */
    public void acquire() throws InterruptedException {
        // TODO 05.4: a waiter that reserves its token on arrival knows how long to wait, and in which order
        throw new NotSolvedYet("05.4");
    }
}
