package workshop.scenarios.jobs.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * Exercise 06.12: Backoff with jitter, three strikes
 *
 * <p>What to do after a job's attempt failed: try again after an exponential backoff, capped and spread by jitter so
 * that the jobs that failed together do not all come back together, or give up and dead-letter the job once it has
 * failed {@code maxAttempts} times. In Go, a hand loop (or {@code cenkalti/backoff}):
 *
 * <pre>{@code
 * for attempt := 1; ; attempt++ {
 *     err := callAPI(ctx, job)
 *     if err == nil { return nil }
 *     if attempt == maxAttempts { return deadLetter(job, err) }     // three strikes
 *     ceiling := min(maxDelay, base << (attempt-1))                 // exponential, capped
 *     time.Sleep(time.Duration(rand.Int63n(int64(ceiling))))        // "full jitter"
 * }
 * }</pre>
 *
 * <p>Here the policy only decides; the queue keeps the job until its delay has passed. The delay after the
 * {@code n}-th failure lies in {@code [0, ceiling]}, where {@code ceiling = min(cap, base * 2^(n-1))}, and the
 * {@code jitter} chooses where: it must spread the delays of jobs that failed together over at least half of the
 * ceiling, with the largest jitter near the ceiling itself.
 *
 * <p>Immutable and thread-safe; pure: the same arguments always give the same decision.
 *
 * @param maxAttempts how many failed attempts dead-letter a job: at least 1
 * @param base        the backoff's ceiling after the first failure: positive
 * @param cap         the largest delay ever: at least {@code base}
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {

    /** Three attempts, 100 ms after the first failure, 200 ms after the second, never more than 10 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10));

    /** What to do with a job whose attempt failed. */
    public sealed interface Decision permits RetryAfter, DeadLetter {
    }

    /** Try the job again once {@code delay} has passed. */
    public record RetryAfter(Duration delay) implements Decision {
        public RetryAfter {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("a negative delay: " + delay);
            }
        }
    }

    /** Give up: move the job to the dead letters. */
    public record DeadLetter() implements Decision {
    }

    public RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
        }
        if (!base.isPositive() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap: base " + base + ", cap " + cap);
        }
    }

    /**
     * The decision after a failed attempt.
     *
     * @param failures how many attempts of the job have failed, this one included: at least 1
     * @param jitter   a random fraction in {@code [0, 1)} (the caller draws it, so that tests choose it)
     * @return {@link DeadLetter} once {@code failures} reaches {@link #maxAttempts}, else {@link RetryAfter} with a
     *         delay in {@code [0, min(cap, base * 2^(failures-1))]} chosen by {@code jitter}
     * @throws IllegalArgumentException if {@code failures < 1} or {@code jitter} is not in {@code [0, 1)}
     */
    public Decision afterFailure(int failures, double jitter) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures < 1: " + failures);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter not in [0, 1): " + jitter);
        }
        if (failures >= maxAttempts) {
            return new DeadLetter(); // three strikes: a job that keeps failing must not hold the queue for ever
        }
        // "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015): a delay anywhere in
        // [0, ceiling] spreads the jobs that failed together the most, for the least total work.
        long ceiling = ceilingNanos(failures);
        return new RetryAfter(Duration.ofNanos((long) (jitter * ceiling)));
    }

    /** {@code min(cap, base * 2^(failures-1))} in nanoseconds, without overflow however many failures. */
    private long ceilingNanos(int failures) {
        long capNanos = cap.toNanos();
        int doublings = failures - 1;
        if (doublings >= Long.SIZE - 2 || base.toNanos() > capNanos >> doublings) {
            return capNanos; // base << doublings would pass the cap (or overflow): the cap it is
        }
        return base.toNanos() << doublings;
    }
}
