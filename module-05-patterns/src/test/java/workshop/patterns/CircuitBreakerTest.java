package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;
import workshop.support.threads.StuckThreads;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("05.7")
@DisplayName("05.7 A circuit breaker")
class CircuitBreakerTest {

    private static final int THRESHOLD = 3;
    private static final Duration COOL_DOWN = Duration.ofSeconds(30);
    private static final Duration ONE_NANO = Duration.ofNanos(1);
    /** A caller that should be rejected at once but stays parked or blocked this long is waiting for something. */
    private static final Duration STUCK = Patience.scaled(Duration.ofMillis(500));

    private final CircuitBreakerFakeClock clock = new CircuitBreakerFakeClock();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    /** Calls of the protected function: a rejected call must not be made. */
    private final AtomicInteger calls = new AtomicInteger();
    private final CircuitBreaker breaker = new CircuitBreaker(THRESHOLD, COOL_DOWN, clock,
            (from, to) -> transitions.add(from + " -> " + to));

    /** What one call through the breaker did: its value or what it threw, and the interrupt status afterwards. */
    private record Outcome(String value, Throwable thrown, boolean interruptedAtReturn) {
        boolean rejected() {
            return thrown instanceof CircuitOpenException;
        }

        String describe() {
            return thrown == null ? "it returned " + value : rejected() ? "it was rejected" : "it threw " + thrown;
        }
    }

    private Outcome attempt(Callable<String> call) {
        try {
            return new Outcome(breaker.call(call), null, Thread.currentThread().isInterrupted());
        } catch (NotSolvedYet e) {
            throw e;
        } catch (Exception e) {
            return new Outcome(null, e, Thread.interrupted());
        }
    }

    private Background<Outcome> attemptInBackground(String who, Callable<String> call) {
        return Background.call("[05.7] call() by " + who, () -> attempt(call));
    }

    private Callable<String> succeeding() {
        return () -> {
            calls.incrementAndGet();
            return "ok";
        };
    }

    private Callable<String> failing() {
        return () -> {
            calls.incrementAndGet();
            throw new IOException("the downstream is down");
        };
    }

    /** Opens the breaker with {@link #THRESHOLD} failures, checks that it rejects, and resets the call count. */
    private void open() {
        for (int i = 0; i < THRESHOLD; i++) {
            attempt(failing());
        }
        Outcome next = attempt(succeeding());
        assertThat(next.rejected()).as("[05.7] after %d consecutive failures (threshold %d) call() should throw "
                + "CircuitOpenException without making the call, but %s (README 05.7)", THRESHOLD, THRESHOLD,
                next.describe()).isTrue();
        calls.set(0);
    }

    /** A protected call that the test holds on a latch; it notes who ran it and the interruption it saw. */
    private final class HeldCall implements Callable<String> {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Set<Thread> runners = ConcurrentHashMap.newKeySet();
        volatile InterruptedException interruption;

        @Override
        public String call() throws InterruptedException {
            calls.incrementAndGet();
            runners.add(Thread.currentThread());
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interruption = e;
                throw e;
            }
            return "held";
        }

        void awaitStarted(Background<Outcome> caller, String why) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .failFast("[05.7] " + why + ", but call() returned without making it (README 05.7)", () -> {
                        caller.rethrowIfFailed();
                        return caller.isDone() && started.getCount() > 0;
                    })
                    .alias("[05.7] " + why + ", but the call was not made (README 05.7)")
                    .until(() -> started.getCount() == 0);
        }
    }

    /**
     * Waits for a call that should return at once (rejected or made): fails fast if its thread stays parked or blocked,
     * because then it waits for something (a lock held while another call runs, the trial's outcome).
     */
    private static Outcome awaitPrompt(Background<Outcome> caller, String situation) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long stuckSince = 0;
        while (!caller.isDone()) {
            caller.rethrowIfFailed();
            Thread.State state = caller.thread().getState();
            long now = System.nanoTime();
            if (state == Thread.State.BLOCKED || state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING) {
                stuckSince = stuckSince == 0 ? now : stuckSince;
                if (now - stuckSince > STUCK.toNanos()) {
                    throw new AssertionError(String.format("[05.7] %s, a caller stayed %s instead of being answered "
                            + "at once: call() never waits; is a lock held while a call runs, or does the caller wait "
                            + "for the trial's outcome? (README 05.7) %s", situation, state,
                            StuckThreads.report(caller.thread().threadId()).threads()));
                }
            } else {
                stuckSince = 0;
            }
            if (now > deadline) {
                throw new AssertionError(String.format("[05.7] %s, call() did not return within %d ms (README 05.7)",
                        situation, PATIENCE.toMillis()));
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
        return caller.await(PATIENCE);
    }

    @Nested
    @DisplayName("while closed")
    class Closed {

        @Test
        @DisplayName("makes the call and returns its value, or throws its very exception")
        void passesOutcomesThrough() {
            Outcome success = attempt(succeeding());
            IOException failure = new IOException("the downstream is down");
            Outcome failed = attempt(() -> {
                calls.incrementAndGet();
                throw failure;
            });

            assertThat(success.value()).as("[05.7] what call() returned for a call that returned \"ok\", but %s "
                    + "(README 05.7)", success.describe()).isEqualTo("ok");
            assertThat(failed.thrown()).as("[05.7] what call() threw for a call that threw %s: expected that very "
                    + "exception, not wrapped (README 05.7)", failure).isSameAs(failure);
            assertThat(calls.get()).as("[05.7] calls made for 2 calls through a closed breaker (README 05.7)")
                    .isEqualTo(2);
        }

        @Test
        @DisplayName("opens after the threshold of consecutive failures, then rejects without making the call")
        void opensAfterTheThreshold() {
            for (int i = 0; i < THRESHOLD; i++) {
                Outcome outcome = attempt(failing());
                assertThat(outcome.thrown()).as("[05.7] failing call %d of %d, threshold %d: the breaker should "
                        + "still make it, but %s (README 05.7)", i + 1, THRESHOLD, THRESHOLD, outcome.describe())
                        .isInstanceOf(IOException.class);
            }

            Outcome next = attempt(succeeding());

            assertThat(next.rejected()).as("[05.7] after %d consecutive failures (threshold %d) call() should throw "
                    + "CircuitOpenException, but %s (README 05.7)", THRESHOLD, THRESHOLD, next.describe()).isTrue();
            assertThat(calls.get()).as("[05.7] calls made: the %d failing ones, and none once open (README 05.7)",
                    THRESHOLD).isEqualTo(THRESHOLD);
        }

        @Test
        @DisplayName("a success resets the count of consecutive failures")
        void aSuccessResetsTheCount() {
            attempt(failing());
            attempt(failing());
            attempt(succeeding());
            attempt(failing());
            attempt(failing());

            Outcome next = attempt(succeeding());

            assertThat(next.value()).as("[05.7] failure, failure, success, failure, failure with a threshold of %d "
                    + "consecutive failures: the next call should be made, but %s. A success resets the count "
                    + "(README 05.7)", THRESHOLD, next.describe()).isEqualTo("ok");
        }

        @Test
        @DisplayName("an interrupted call is no failure: InterruptedException passes through, status clear")
        void anInterruptedCallIsNoFailure() throws InterruptedException {
            attempt(failing());
            attempt(failing());
            HeldCall held = new HeldCall();
            Background<Outcome> caller = attemptInBackground("a caller to interrupt", held);
            try {
                held.awaitStarted(caller, "a call through a closed breaker is made");
                caller.thread().interrupt();
                Outcome interrupted = awaitWatching("05.7", "call() did not return after the call threw "
                        + "InterruptedException", caller);

                assertThat(interrupted.thrown()).as("[05.7] the call threw InterruptedException when its caller was "
                        + "interrupted: call() should throw that very exception, but %s (README 05.7)",
                        interrupted.describe()).isSameAs(held.interruption);
                assertThat(interrupted.interruptedAtReturn()).as("[05.7] the interrupt status after call() threw "
                        + "InterruptedException: expected clear, as the call left it; do not set it again "
                        + "(README 05.7)").isFalse();
                Outcome next = attempt(succeeding());
                assertThat(next.value()).as("[05.7] after 2 failures and an interrupted call (threshold %d), the next "
                        + "call should be made, but %s: an interrupted call says nothing about the downstream, do not "
                        + "count it as a failure (README 05.7)", THRESHOLD, next.describe()).isEqualTo("ok");
            } finally {
                held.release.countDown();
                stop(caller);
            }
        }
    }

    @Nested
    @DisplayName("while open")
    class Open {

        @Test
        @DisplayName("rejects at once until the cool-down is over on the injected clock, then makes a trial call")
        void rejectsUntilTheCoolDownIsOver() {
            open();
            clock.advance(COOL_DOWN.minus(ONE_NANO));
            Outcome early = attempt(succeeding());
            assertThat(early.rejected()).as("[05.7] 1 ns before the cool-down of %d s was over, call() should be "
                    + "rejected, but %s (README 05.7)", COOL_DOWN.toSeconds(), early.describe()).isTrue();
            assertThat(calls.get()).as("[05.7] calls made while open: a rejected call is not made (README 05.7)")
                    .isZero();

            clock.advance(ONE_NANO);
            Outcome trial = attempt(succeeding());

            assertThat(trial.value()).as("[05.7] once the cool-down was over on the breaker's clock, the next call "
                    + "should be let through as the trial, but %s: does the breaker read the clock it was given "
                    + "(System.nanoTime? README 05.7)", trial.describe()).isEqualTo("ok");
        }
    }

    @Nested
    @DisplayName("while half-open")
    class HalfOpen {

        @Test
        @DisplayName("lets exactly one trial call through; callers meanwhile are rejected at once")
        void oneTrialAtATime() throws InterruptedException {
            open();
            clock.advance(COOL_DOWN);
            HeldCall held = new HeldCall();
            Background<Outcome> trial = attemptInBackground("the trial caller", held);
            List<Background<Outcome>> others = new ArrayList<>();
            try {
                held.awaitStarted(trial, "the first call after the cool-down is the trial");
                for (int i = 0; i < 3; i++) {
                    others.add(attemptInBackground("a caller during the trial", succeeding()));
                }
                for (Background<Outcome> other : others) {
                    Outcome outcome = awaitPrompt(other, "while the trial call was in flight");
                    assertThat(outcome.rejected()).as("[05.7] a call while the half-open breaker's trial call was "
                            + "in flight should be rejected with CircuitOpenException, but %s: half-open lets "
                            + "exactly one trial call through (README 05.7)", outcome.describe()).isTrue();
                }
                assertThat(calls.get()).as("[05.7] calls made while half-open with 3 more callers: only the trial "
                        + "(README 05.7)").isEqualTo(1);

                held.release.countDown();
                assertThat(awaitWatching("05.7", "the trial call returned but call() did not", trial).value())
                        .as("[05.7] what the trial caller got (README 05.7)").isEqualTo("held");
            } finally {
                held.release.countDown();
                stop(trial);
                stop(others.toArray(new Background<?>[0]));
            }
        }

        @Test
        @DisplayName("a trial success closes the breaker and the count of failures starts again from zero")
        void aTrialSuccessCloses() {
            open();
            clock.advance(COOL_DOWN);
            attempt(succeeding());
            attempt(failing());
            attempt(failing());

            Outcome next = attempt(succeeding());

            assertThat(next.value()).as("[05.7] after a successful trial call and then %d failures (threshold %d), "
                    + "the next call should be made, but %s: the trial's success closes the breaker and the count of "
                    + "failures starts from zero (README 05.7)", THRESHOLD - 1, THRESHOLD, next.describe())
                    .isEqualTo("ok");
        }

        @Test
        @DisplayName("a trial failure opens the breaker again, for a fresh cool-down")
        void aTrialFailureReopens() {
            open();
            clock.advance(COOL_DOWN);
            Outcome trial = attempt(failing());
            assertThat(trial.thrown()).as("[05.7] the trial call after the cool-down, but %s (README 05.7)",
                    trial.describe()).isInstanceOf(IOException.class);

            Outcome right = attempt(succeeding());
            assertThat(right.rejected()).as("[05.7] right after the trial call failed, the next call should be "
                    + "rejected, but %s: a failed trial opens the breaker again, for a cool-down counted from that "
                    + "failure (README 05.7)", right.describe()).isTrue();
            clock.advance(COOL_DOWN.minus(ONE_NANO));
            Outcome early = attempt(succeeding());
            assertThat(early.rejected()).as("[05.7] 1 ns before the cool-down after a failed trial was over, "
                    + "call() should be rejected, but %s (README 05.7)", early.describe()).isTrue();
            clock.advance(ONE_NANO);
            Outcome second = attempt(succeeding());
            assertThat(second.value()).as("[05.7] a full cool-down after the failed trial, the next call should be "
                    + "the new trial, but %s (README 05.7)", second.describe()).isEqualTo("ok");
        }

        @Test
        @DisplayName("an interrupted trial is no verdict: the next call is the trial")
        void anInterruptedTrialFreesTheTrial() throws InterruptedException {
            open();
            clock.advance(COOL_DOWN);
            HeldCall held = new HeldCall();
            Background<Outcome> trial = attemptInBackground("the trial caller, to interrupt", held);
            try {
                held.awaitStarted(trial, "the first call after the cool-down is the trial");
                trial.thread().interrupt();
                Outcome interrupted = awaitWatching("05.7", "call() did not return after the trial call threw "
                        + "InterruptedException", trial);
                assertThat(interrupted.thrown()).as("[05.7] an interrupted trial call threw InterruptedException: "
                        + "call() should throw that very exception, but %s (README 05.7)", interrupted.describe())
                        .isSameAs(held.interruption);

                Outcome next = attempt(succeeding());
                assertThat(next.value()).as("[05.7] after the trial call was interrupted, the next call should be the "
                        + "new trial, but %s: an interrupted trial is neither a success nor a failure, so the breaker "
                        + "stays half-open with no trial in flight (README 05.7)", next.describe()).isEqualTo("ok");
            } finally {
                held.release.countDown();
                stop(trial);
            }
        }

        @Test
        @DisplayName("two callers at the end of the cool-down, one held in the middle of its decision: one trial")
        void decidingIsAtomic() throws InterruptedException {
            open();
            clock.advance(COOL_DOWN);
            HeldCall held = new HeldCall();
            CircuitBreakerFakeClock.HeldRead read = clock.holdNextRead();
            Background<Outcome> first = attemptInBackground("the first caller, held as it reads the clock", held);
            Background<Outcome> second = null;
            try {
                await("[05.7] the first call after the cool-down to read the breaker's clock (README 05.7)")
                        .atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                        .failFast("[05.7] the first call after the cool-down returned without reading the breaker's "
                                + "clock: how does it know that the cool-down is over? (README 05.7)", () -> {
                            first.rethrowIfFailed();
                            return first.isDone();
                        })
                        .until(() -> read.arrived.getCount() == 0);
                second = attemptInBackground("the second caller", held);
                Background<Outcome> other = second;
                // Either the second caller decides now (a trial or a rejection), or it waits for the first caller's
                // lock: both are right. Then the first caller decides.
                await("[05.7] the second caller to decide or to wait for the first (README 05.7)").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(2))
                        .until(() -> other.isDone() || held.runners.contains(other.thread()) || stuck(other));
                read.release.countDown();
                await("[05.7] both callers to decide (README 05.7)").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(2))
                        .until(() -> (first.isDone() || held.runners.contains(first.thread()))
                                && (other.isDone() || held.runners.contains(other.thread())));

                assertThat(calls.get()).as("[05.7] trial calls made by two callers that both found the cool-down "
                        + "over, one of them held between reading the clock and acting on it: expected 1. Checking "
                        + "the state and taking the trial must be one atomic step (README 05.7)").isEqualTo(1);
            } finally {
                read.release.countDown();
                held.release.countDown();
                stop(first, second);
            }
        }

        /** Whether {@code caller} stays blocked or parked for a while: it waits for a lock that another holds. */
        private static boolean stuck(Background<Outcome> caller) {
            long since = System.nanoTime();
            while (System.nanoTime() - since < Duration.ofMillis(100).toNanos()) {
                Thread.State state = caller.thread().getState();
                if (state != Thread.State.BLOCKED && state != Thread.State.WAITING) {
                    return false;
                }
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            }
            return true;
        }
    }

    @Nested
    @DisplayName("state changes")
    class StateChanges {

        @Test
        @DisplayName("many calls failing at once open the breaker exactly once")
        void manyFailuresOpenItOnce() throws InterruptedException {
            int callers = 8;
            CountDownLatch fail = new CountDownLatch(1);
            Callable<String> failWhenTold = () -> {
                calls.incrementAndGet();
                fail.await();
                throw new IOException("the downstream is down");
            };
            List<Background<Outcome>> all = new ArrayList<>();
            try {
                for (int i = 0; i < callers; i++) {
                    all.add(attemptInBackground("failing caller " + (i + 1), failWhenTold));
                }
                await("[05.7] 8 calls to be made through a closed breaker (README 05.7)").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(2))
                        .failFast("[05.7] a call through a closed breaker returned before it was made", () -> {
                            for (Background<Outcome> caller : all) {
                                caller.rethrowIfFailed();
                                if (caller.isDone()) {
                                    return true;
                                }
                            }
                            return false;
                        })
                        .until(() -> calls.get() == callers);
                fail.countDown();
                for (Background<Outcome> caller : all) {
                    Outcome outcome = awaitWatching("05.7", "call() did not return after its call failed", caller);
                    assertThat(outcome.thrown()).as("[05.7] what a failing call threw through the breaker, but %s "
                            + "(README 05.7)", outcome.describe()).isInstanceOf(IOException.class);
                }

                assertThat(transitions).as("[05.7] the state changes the listener saw when %d calls let through "
                        + "while closed failed at once (threshold %d): the breaker should open exactly once. A "
                        + "transition must be one atomic step that happens once (README 05.7)", callers, THRESHOLD)
                        .containsExactly("CLOSED -> OPEN");
            } finally {
                fail.countDown();
                stop(all.toArray(new Background<?>[0]));
            }
        }

        @Test
        @DisplayName("the listener hears every transition once, in order")
        void reportsEveryTransition() {
            open();
            clock.advance(COOL_DOWN);
            attempt(succeeding());
            open();
            clock.advance(COOL_DOWN);
            attempt(failing());

            assertThat(transitions).as("[05.7] the state changes the listener saw for: open, cool-down, trial "
                    + "success, open, cool-down, trial failure (README 05.7)").containsExactly(
                    "CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED",
                    "CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> OPEN");
        }
    }
}
