package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("05.4")
@DisplayName("05.4 A token bucket")
class TokenBucketTest {

    private static final Duration ONE_TOKEN = Duration.ofSeconds(1); // at 1 token per second

    private final TokenBucketFakeClock clock = new TokenBucketFakeClock();

    private static int takeAll(TokenBucket bucket) {
        int taken = 0;
        while (taken < 100_000 && bucket.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    private static Background<Throwable> acquireInBackground(TokenBucket bucket, String who) {
        return Background.call("[05.4] acquire() by " + who, () -> {
            try {
                bucket.acquire();
                return null;
            } catch (InterruptedException e) {
                return e;
            }
        });
    }

    @Nested
    @DisplayName("tryAcquire")
    class TryAcquire {

        @Test
        @DisplayName("a new bucket holds its burst: exactly that many tokens at once, then none")
        void startsFull() {
            TokenBucket bucket = new TokenBucket(1, 3, clock);

            assertThat(takeAll(bucket)).as("[05.4] tokens taken at once from a new bucket of burst 3, the clock "
                    + "standing still (README 05.4)").isEqualTo(3);
        }

        @Test
        @DisplayName("refills at the rate, on the injected clock")
        void refillsOnTheInjectedClock() {
            TokenBucket bucket = new TokenBucket(2, 4, clock);
            takeAll(bucket);

            clock.advance(Duration.ofSeconds(1));

            assertThat(takeAll(bucket)).as("[05.4] a drained bucket of 2 tokens/s, 1 s later on the bucket's clock: "
                    + "tokens available. 0 means the bucket does not read the clock it was given (System.nanoTime? "
                    + "README 05.4)").isEqualTo(2);
        }

        @Test
        @DisplayName("never holds more than its burst, however long it stays unused")
        void capsTheBurst() {
            TokenBucket bucket = new TokenBucket(1, 3, clock);
            takeAll(bucket);

            clock.advance(Duration.ofHours(1));

            assertThat(takeAll(bucket)).as("[05.4] a bucket of burst 3, unused for an hour at 1 token/s: tokens taken "
                    + "at once. More than 3 means the bucket fills beyond its capacity (README 05.4)").isEqualTo(3);
        }

        @Test
        @DisplayName("keeps fractions of a token: three steps of 0.4 s at 1 token/s make a token")
        void keepsFractionsOfATokenAcrossCalls() {
            TokenBucket bucket = new TokenBucket(1, 1, clock);
            takeAll(bucket);
            int taken = 0;
            for (int step = 0; step < 3; step++) {
                clock.advance(Duration.ofMillis(400));
                taken += bucket.tryAcquire() ? 1 : 0;
            }

            assertThat(taken).as("[05.4] at 1 token/s, tryAcquire() after 0.4 s, 0.8 s and 1.2 s should get exactly "
                    + "one token (at 1.2 s): got %d. 0 means fractions of a token are lost at each call (integer "
                    + "arithmetic, or the time of the last refill moved without its fraction) (README 05.4)", taken)
                    .isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("acquire")
    class Acquire {

        @Test
        @DisplayName("returns at once while tokens are left")
        void returnsAtOnceWithTokensLeft() throws InterruptedException {
            TokenBucket bucket = new TokenBucket(1, 2, clock);

            Throwable thrown = awaitWatching("05.4", "acquire() did not return although the bucket was full",
                    acquireInBackground(bucket, "the first caller"));

            assertThat(thrown).as("[05.4] acquire() on a full bucket (README 05.4)").isNull();
            assertThat(takeAll(bucket)).as("[05.4] tokens left after one acquire() from a bucket of 2 (README 05.4)")
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("waits (WAITING, on the clock) until the next token is due, and not a moment longer")
        void waitsOnTheClockUntilATokenIsDue() throws InterruptedException {
            TokenBucket bucket = new TokenBucket(1, 1, clock);
            takeAll(bucket);
            Background<Throwable> waiter = acquireInBackground(bucket, "a waiter");
            try {
                awaitWaiting(waiter, "05.4", "acquire() returned from a drained bucket before any time passed");
                clock.advance(ONE_TOKEN.minusMillis(1));
                awaitWaiting(waiter, "05.4", "acquire() returned 1 ms before its token was due");
                clock.advance(Duration.ofMillis(1));
                Throwable thrown = awaitWatching("05.4", "acquire() did not return when its token was due on the "
                        + "bucket's clock: does it wait on the clock (sleepUntil) for the time its token is due?",
                        waiter);

                assertThat(thrown).as("[05.4] acquire() once its token was due (README 05.4)").isNull();
            } finally {
                clock.advance(Duration.ofHours(1)); // a waiter that swallowed its interrupt gets a token
                stop(waiter);
            }
        }

        @Test
        @DisplayName("serves waiters in arrival order, and a later tryAcquire does not take a waiter's token")
        void servesWaitersInArrivalOrder() throws InterruptedException {
            TokenBucket bucket = new TokenBucket(1, 1, clock);
            takeAll(bucket);
            Background<Throwable> first = acquireInBackground(bucket, "waiter 1");
            Background<Throwable> second = null;
            Background<Throwable> third = null;
            try {
                awaitWaiting(first, "05.4", "acquire() returned from a drained bucket before any time passed");
                second = acquireInBackground(bucket, "waiter 2");
                awaitWaiting(second, "05.4", "acquire() returned from a drained bucket before any time passed");
                third = acquireInBackground(bucket, "waiter 3");
                awaitWaiting(third, "05.4", "acquire() returned from a drained bucket before any time passed");
                List<Background<Throwable>> waiters = List.of(first, second, third);

                for (int turn = 0; turn < 3; turn++) {
                    clock.advanceQuietly(ONE_TOKEN);
                    assertThat(bucket.tryAcquire()).as("[05.4] a token came due while %d waiter(s) queued in "
                            + "acquire(), and a tryAcquire() that came after them took it: barging. The token belongs "
                            + "to the first waiter (README 05.4)", 3 - turn).isFalse();
                    clock.wakeSleepers();
                    int expected = turn;
                    await("[05.4] a waiter to get the token that came due (README 05.4)").atMost(PATIENCE)
                            .until(() -> waiters.stream().filter(Background::isDone).count() > expected);
                    for (int w = 0; w < 3; w++) {
                        assertThat(waiters.get(w).isDone()).as("[05.4] after %d token(s) for 3 waiters, waiter %d "
                                + "should %s: waiters are served in arrival order (README 05.4)", turn + 1, w + 1,
                                w <= turn ? "have its token" : "still wait").isEqualTo(w <= turn);
                    }
                    for (int w = turn + 1; w < 3; w++) {
                        awaitWaiting(waiters.get(w), "05.4", "a waiter whose token is not due yet returned");
                    }
                }
                for (Background<Throwable> waiter : waiters) {
                    assertThat(waiter.await(PATIENCE)).as("[05.4] a waiter that got its token (README 05.4)").isNull();
                }
            } finally {
                clock.advance(Duration.ofHours(1)); // a waiter that swallowed its interrupt gets a token
                stop(first, second, third);
            }
        }

        @Test
        @DisplayName("an interrupted waiter throws InterruptedException, status clear, and leaves its token to others")
        void answersInterruptionWithoutTakingAToken() throws InterruptedException {
            TokenBucket bucket = new TokenBucket(1, 1, clock);
            takeAll(bucket);
            Background<Throwable> waiter = acquireInBackground(bucket, "a waiter to interrupt");
            try {
                awaitWaiting(waiter, "05.4", "acquire() returned from a drained bucket before any time passed");

                waiter.thread().interrupt();

                Throwable thrown = awaitWatching("05.4", "acquire() did not return after its caller was interrupted: "
                        + "is the interrupt swallowed?", waiter);
                assertThat(thrown).as("[05.4] an interrupted acquire() should throw InterruptedException, but %s "
                        + "(README 05.4)", thrown == null ? "it returned with a token" : "threw " + thrown)
                        .isInstanceOf(InterruptedException.class);

                clock.advance(ONE_TOKEN);
                assertThat(bucket.tryAcquire()).as("[05.4] a waiter was interrupted before its token came due, then "
                        + "the token came due, yet tryAcquire() found none: the interrupted waiter kept its token. "
                        + "Give back what it reserved (README 05.4)").isTrue();
            } finally {
                clock.advance(Duration.ofHours(1)); // a waiter that swallowed its interrupt gets a token
                stop(waiter);
            }
        }

        @Test
        @DisplayName("an interrupted acquire() leaves the interrupt status clear")
        void clearsTheInterruptStatus() throws InterruptedException {
            TokenBucket bucket = new TokenBucket(1, 1, clock);
            takeAll(bucket);
            Background<Boolean> waiter = Background.call("[05.4] acquire(), interrupted", () -> {
                try {
                    bucket.acquire();
                    return null;
                } catch (InterruptedException e) {
                    return Thread.currentThread().isInterrupted();
                }
            });
            try {
                awaitWaiting(waiter, "05.4", "acquire() returned from a drained bucket before any time passed");
                waiter.thread().interrupt();
                Boolean interruptedAtThrow = awaitWatching("05.4", "acquire() did not return after its caller was "
                        + "interrupted: is the interrupt swallowed?", waiter);

                assertThat(interruptedAtThrow).as("[05.4] an interrupted acquire() should throw InterruptedException "
                        + "(README 05.4)").isNotNull();
                assertThat(interruptedAtThrow).as("[05.4] acquire() threw InterruptedException with the interrupt "
                        + "status set again: a method that throws it clears the status, as the JDK's do (README 05.4)")
                        .isFalse();
            } finally {
                clock.advance(Duration.ofHours(1)); // a waiter that swallowed its interrupt gets a token
                stop(waiter);
            }
        }
    }
}
