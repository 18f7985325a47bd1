package workshop.scenarios.jobs.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import workshop.scenarios.jobs.domain.RetryPolicy.DeadLetter;
import workshop.scenarios.jobs.domain.RetryPolicy.Decision;
import workshop.scenarios.jobs.domain.RetryPolicy.RetryAfter;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("06.12")
@DisplayName("06.12 Backoff with jitter, three strikes")
class RetryPolicyTest {

    /** Jitters from the whole of [0, 1): the largest is as close to 1 as a random double gets in practice. */
    private static final double[] JITTERS = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.9999};
    private static final double TOP = 0.9999;

    /** 100 ms, doubling, capped at 1 s, many attempts: so that the cap is reached before the dead letter. */
    private static final RetryPolicy LONG = new RetryPolicy(20, Duration.ofMillis(100), Duration.ofSeconds(1));

    private static String describe(Decision decision) {
        return decision instanceof RetryAfter(Duration delay) ? "RetryAfter(" + millis(delay) + ")"
                : String.valueOf(decision);
    }

    private static String millis(Duration d) {
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + " ms" : String.format("%.3f ms", d.toNanos() / 1e6);
    }

    /** The delay of a decision that must be a retry. */
    private static Duration delay(RetryPolicy policy, int failures, double jitter) {
        Decision decision = policy.afterFailure(failures, jitter);
        assertThat(decision).as("[06.12] after %d failure(s) with maxAttempts %d the job should be retried, but the "
                        + "decision was %s: a job that failed fewer than maxAttempts times gets another try (README "
                        + "06.12)", failures, policy.maxAttempts(), describe(decision))
                .isInstanceOf(RetryAfter.class);
        Duration delay = ((RetryAfter) decision).delay();
        assertThat(delay).as("[06.12] after %d failure(s) (jitter %s) the delay was null (README 06.12)", failures,
                jitter).isNotNull();
        return delay;
    }

    /** A millisecond either way: an answer in milliseconds is as good as one in nanoseconds. */
    private static final long SLACK = Duration.ofMillis(1).toNanos();

    @Nested
    @DisplayName("three strikes")
    class ThreeStrikes {

        @Test
        @DisplayName("the default retries after the first and the second failure and dead-letters after the third")
        void defaultPolicy() {
            RetryPolicy policy = RetryPolicy.DEFAULT;
            delay(policy, 1, 0.5);
            delay(policy, 2, 0.5);
            Decision third = policy.afterFailure(3, 0.5);
            assertThat(third).as("[06.12] after the 3rd failure with maxAttempts 3 the job should go to the dead "
                    + "letters, but the decision was %s: a job that never succeeds would come back for ever and hold "
                    + "a worker each time (README 06.12)", describe(third)).isInstanceOf(DeadLetter.class);
        }

        @ParameterizedTest(name = "maxAttempts {0}")
        @CsvSource({"1", "2", "4", "7"})
        @DisplayName("a job is retried until it has failed maxAttempts times, then dead-lettered, and stays so")
        void strikes(int maxAttempts) {
            RetryPolicy policy = new RetryPolicy(maxAttempts, Duration.ofMillis(10), Duration.ofSeconds(1));
            for (int failures = 1; failures < maxAttempts; failures++) {
                delay(policy, failures, 0.5);
            }
            for (int failures = maxAttempts; failures <= maxAttempts + 2; failures++) {
                Decision decision = policy.afterFailure(failures, 0.5);
                assertThat(decision).as("[06.12] after %d failure(s) with maxAttempts %d the job should go to the "
                        + "dead letters, but the decision was %s: a job that never succeeds would come back for "
                        + "ever (README 06.12)", failures, maxAttempts, describe(decision))
                        .isInstanceOf(DeadLetter.class);
            }
        }
    }

    @Nested
    @DisplayName("the backoff")
    class Backoff {

        @ParameterizedTest(name = "after failure {0}: at most {1} ms")
        @CsvSource({"1, 100", "2, 200", "3, 400", "4, 800", "5, 1000", "6, 1000", "19, 1000"})
        @DisplayName("the ceiling is base x 2^(failures-1), capped: no jitter ever passes it, the largest comes near")
        void ceiling(int failures, long ceilingMillis) {
            long ceiling = Duration.ofMillis(ceilingMillis).toNanos();
            for (double jitter : JITTERS) {
                Duration d = delay(LONG, failures, jitter);
                assertThat(d.isNegative()).as("[06.12] after failure %d (jitter %s) the delay was negative: %s "
                        + "(README 06.12)", failures, jitter, millis(d)).isFalse();
                assertThat(d.toNanos()).as("[06.12] after failure %d (jitter %s) the delay was %s, past the ceiling "
                                + "of %d ms = min(cap %s, base %s x 2^%d)%s (README 06.12)", failures, jitter,
                                millis(d), ceilingMillis, millis(LONG.cap()), millis(LONG.base()), failures - 1,
                                ceilingMillis == 1000 ? ": is the delay capped? Without a cap the 10th retry of a "
                                        + "job waits 51 s, the 20th 14 hours" : ": does the jitter add to the "
                                        + "ceiling, or the exponent start at 2^failures?")
                        .isLessThanOrEqualTo(ceiling + SLACK);
            }
            Duration top = delay(LONG, failures, TOP);
            assertThat(top.toNanos()).as("[06.12] after failure %d the largest jitter (%s) should give a delay near "
                            + "the ceiling of %d ms (base %s x 2^%d, capped at %s), but it gave %s: does the backoff "
                            + "double with each failure? (README 06.12)", failures, TOP, ceilingMillis,
                            millis(LONG.base()), failures - 1, millis(LONG.cap()), millis(top))
                    .isGreaterThanOrEqualTo((long) (0.99 * ceiling) - SLACK);
        }

        @ParameterizedTest(name = "after failure {0}")
        @CsvSource({"31", "32", "63", "64", "65", "100", "1000", "2147483646"})
        @DisplayName("however many failures, the delay stays within the cap: nothing overflows")
        void noOverflow(int failures) {
            RetryPolicy patient = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(100), Duration.ofSeconds(30));
            long cap = patient.cap().toNanos();
            Duration top;
            try {
                top = delay(patient, failures, TOP);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw new AssertionError("[06.12] after failure " + failures + " (maxAttempts " + Integer.MAX_VALUE
                        + ") afterFailure threw " + e + ": base x 2^(failures-1) overflows a long long before the "
                        + "cap is left behind; compare before you shift or multiply (README 06.12)", e);
            }
            assertThat(top.toNanos()).as("[06.12] after failure %d the largest jitter should give a delay near the "
                            + "cap (30 s), but it gave %s: does base x 2^(failures-1) overflow? A shift by 64 or more "
                            + "wraps around in Java (README 06.12)", failures, millis(top))
                    .isBetween((long) (0.99 * cap) - SLACK, cap + SLACK);
        }
    }

    @Nested
    @DisplayName("the jitter")
    class Jitter {

        @ParameterizedTest(name = "after failure {0}")
        @CsvSource({"1, 100", "2, 200", "4, 800", "7, 1000"})
        @DisplayName("spreads the delays of jobs that failed together over at least half of the ceiling")
        void spreads(int failures, long ceilingMillis) {
            Duration low = delay(LONG, failures, 0.0);
            Duration high = delay(LONG, failures, TOP);
            long ceiling = Duration.ofMillis(ceilingMillis).toNanos();
            assertThat(high.toNanos() - low.toNanos()).as("[06.12] after failure %d, jitter 0 gave %s and jitter %s "
                            + "gave %s: jobs that failed together (the API was down for a second) come back together "
                            + "and knock it down again, the thundering herd; the jitter should spread the delay over "
                            + "at least half of the ceiling (%d ms) (README 06.12)", failures, millis(low), TOP,
                            millis(high), ceilingMillis)
                    .isGreaterThanOrEqualTo(ceiling / 2 - SLACK);
        }

        @Test
        @DisplayName("a larger jitter never gives a shorter delay, and the same arguments give the same decision")
        void monotoneAndPure() {
            for (int failures = 1; failures <= 6; failures++) {
                Duration previous = Duration.ZERO;
                for (double jitter : JITTERS) {
                    Duration d = delay(LONG, failures, jitter);
                    assertThat(d).as("[06.12] after failure %d, jitter %s gave %s, shorter than a smaller jitter's "
                            + "%s: the jitter should choose a point in [0, ceiling] in order (README 06.12)",
                            failures, jitter, millis(d), millis(previous)).isGreaterThanOrEqualTo(previous);
                    assertThat(LONG.afterFailure(failures, jitter)).as("[06.12] afterFailure(%d, %s) should be pure: "
                            + "the same arguments, the same decision; the randomness is the caller's jitter, not a "
                            + "Random inside (README 06.12)", failures, jitter).isEqualTo(new RetryAfter(d));
                    previous = d;
                }
            }
        }
    }
}
