package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("03.12")
@DisplayName("03.12 Partial results by a group deadline")
class PartialResultsTest {

    /**
     * The budget when some calls are late. Fast calls return at once and late calls can never finish, so the outcome
     * does not depend on how long the budget is; it is generous so that a loaded machine still starts the fast calls
     * in time.
     */
    private static final Duration BUDGET = Patience.seconds(2);

    /** What collect did: its answer or exception, and how many calls had ended when it returned. */
    private record Outcome(Map<String, String> results, Throwable thrown, int exitedAtReturn, Duration took,
                           boolean interruptedAtReturn) {
    }

    private static Background<Outcome> collectInBackground(String description, Map<String, Callable<String>> calls,
                                                           Duration budget, TrackedCalls tracked) {
        return Background.call("[03.12] collect(" + description + ", " + budget.toMillis() + " ms)", () -> {
            long start = System.nanoTime();
            try {
                Map<String, String> results = PartialResults.collect(calls, budget);
                return new Outcome(results, null, tracked.exited.get(), Duration.ofNanos(System.nanoTime() - start),
                        Thread.currentThread().isInterrupted());
            } catch (NotSolvedYet notSolvedYet) {
                throw notSolvedYet;
            } catch (InterruptedException | RuntimeException e) {
                return new Outcome(null, e, tracked.exited.get(), Duration.ofNanos(System.nanoTime() - start),
                        Thread.currentThread().isInterrupted());
            }
        });
    }

    @Test
    @DisplayName("answers with the calls that succeeded in time; late ones are cancelled and ended, failed ones "
                 + "left out")
    void answersWithWhatArrivedInTime() throws InterruptedException {
        TrackedCalls tracked = new TrackedCalls(0);
        Map<String, Callable<String>> calls = new LinkedHashMap<>();
        calls.put("inventory", tracked.answerAtOnce("12 in stock"));
        calls.put("recommendations", tracked.blockUntilInterrupted());
        calls.put("pricing", tracked.answerAtOnce("9.99 EUR"));
        calls.put("reviews", tracked.failAtOnce(new IllegalStateException("the reviews service is down")));
        calls.put("ads", tracked.blockUntilInterrupted());
        Background<Outcome> collect = collectInBackground("5 calls", calls, BUDGET, tracked);
        try {
            tracked.awaitCancelledWhileCallerWaits("03.12", 2, collect, "collect, once its budget of "
                    + BUDGET.toMillis() + " ms was spent,");
            Outcome outcome = awaitWatching("03.12", "collect did not return after its budget was spent and the late "
                    + "calls had ended", collect);

            assertThat(outcome.thrown()).as("[03.12] collect threw %s: neither a late call nor a failed one is fatal; "
                    + "leave them out and answer with what arrived in time (a scope's timeout throws from join(): "
                    + "catch it) (README 03.12)", outcome.thrown()).isNull();
            assertThat(outcome.results()).as("[03.12] expected the two calls that answered in time, and nothing "
                    + "from the failed or the late ones, but got %s (README 03.12)", outcome.results())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("inventory", "12 in stock", "pricing", "9.99 EUR"));
            assertThat(outcome.exitedAtReturn()).as("[03.12] expected all 5 calls to have ended when collect "
                    + "returned, but %d had: wait for the cancelled calls (README 03.12)", outcome.exitedAtReturn())
                    .isEqualTo(5);
            assertThat(tracked.threads).as("[03.12] expected each of the 5 calls on a thread of its own, none on the "
                    + "caller's thread, but they ran on %s, and the caller was %s (README 03.12)", tracked.threads,
                    collect.thread()).hasSize(5).doesNotContain(collect.thread());
        } finally {
            tracked.release();
            stop(collect);
            tracked.endAll("03.12");
        }
    }

    @Test
    @DisplayName("the budget is the group's: three late calls are cut off together when it is spent, not one budget "
                 + "after another")
    void theBudgetIsTheGroups() throws InterruptedException {
        Duration budget = Patience.seconds(1);
        TrackedCalls tracked = new TrackedCalls(3);
        tracked.mayExit.countDown(); // no lingering here: only the time the group takes counts
        Map<String, Callable<String>> calls = new LinkedHashMap<>();
        calls.put("recommendations", tracked.blockUntilInterrupted());
        calls.put("ads", tracked.blockUntilInterrupted());
        calls.put("reviews", tracked.blockUntilInterrupted());
        Background<Outcome> collect = collectInBackground("3 late calls", calls, budget, tracked);
        try {
            Outcome outcome = awaitWatching("03.12", "collect did not return although the budget of "
                    + budget.toMillis() + " ms for its group of 3 late calls was long spent: does the group have "
                    + "one deadline, and are the late calls cancelled when it passes?", collect);

            assertThat(outcome.took()).as("[03.12] 3 calls that never answer, with a budget of %d ms for the group: "
                    + "collect should return when the budget is spent, but it took %d ms. Is the budget applied to "
                    + "each call in turn (waiting for one call at most the budget, then the next)? The group has one "
                    + "deadline, counted from the start (README 03.12)", budget.toMillis(), outcome.took().toMillis())
                    .isLessThan(budget.multipliedBy(2));
            assertThat(outcome.results()).as("[03.12] no call answered: expected an empty answer, got %s (thrown: %s) "
                    + "(README 03.12)", outcome.results(), outcome.thrown()).isEmpty();
        } finally {
            tracked.release();
            stop(collect);
            tracked.endAll("03.12");
        }
    }

    @Test
    @DisplayName("interrupting the caller cancels every call, waits until they have ended, and throws "
                 + "InterruptedException instead of answering")
    void interruptingTheCallerCancelsEveryCall() throws InterruptedException {
        TrackedCalls tracked = new TrackedCalls(2);
        Map<String, Callable<String>> calls = new LinkedHashMap<>();
        calls.put("inventory", tracked.answerAtOnce("12 in stock"));
        calls.put("recommendations", tracked.blockUntilInterrupted());
        calls.put("ads", tracked.blockUntilInterrupted());
        Background<Outcome> collect = collectInBackground("3 calls, 2 of them blocked", calls,
                Duration.ofMinutes(10), tracked);
        try {
            awaitWatchingStart(tracked, collect);
            awaitParked(collect, "03.12", "collect returned while 2 calls were still blocked, long before its budget");

            collect.thread().interrupt();

            tracked.awaitCancelledWhileCallerWaits("03.12", 2, collect, "collect, once its caller was interrupted,");
            Outcome outcome = awaitWatching("03.12", "collect was interrupted but did not return after its calls "
                    + "had ended", collect);

            assertThat(outcome.thrown()).as("[03.12] the caller was interrupted: expected InterruptedException, but "
                    + "collect %s: an interrupted caller asked to stop, it does not want a partial answer; and "
                    + "swallowing the interrupt hides the request from the code above (README 03.12)",
                    outcome.thrown() == null ? "returned " + outcome.results() : "threw " + outcome.thrown())
                    .isInstanceOf(InterruptedException.class);
            assertThat(outcome.interruptedAtReturn()).as("[03.12] collect threw InterruptedException with the "
                    + "interrupt status set again: the exception is how the interrupt is passed on, and a method "
                    + "that throws it clears the status, as the JDK's do (README 03.12)").isFalse();
            assertThat(outcome.exitedAtReturn()).as("[03.12] the caller was interrupted: expected all 3 calls to "
                    + "have ended when collect returned, but %d had (README 03.12)", outcome.exitedAtReturn())
                    .isEqualTo(3);
        } finally {
            tracked.release();
            stop(collect);
            tracked.endAll("03.12");
        }
    }

    /** Waits until the two blocking calls run; fails at once if collect returned or threw meanwhile. */
    private static void awaitWatchingStart(TrackedCalls tracked, Background<Outcome> collect) {
        org.awaitility.Awaitility.await("[03.12] the 2 blocking calls to start (README 03.12)").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(2))
                .failFast("[03.12] collect returned while 2 calls were still blocked, long before its budget "
                          + "(README 03.12)", () -> {
                              collect.rethrowIfFailed();
                              return collect.isDone();
                          })
                .until(() -> tracked.allStarted.getCount() == 0);
    }

    @Test
    @DisplayName("returns as soon as every call is done, without waiting for the budget")
    void returnsAsSoonAsEveryCallIsDone() throws InterruptedException {
        Map<String, Callable<String>> calls = Map.of("inventory", () -> "12 in stock", "pricing", () -> "9.99 EUR");
        Background<Map<String, String>> collect = Background.call("[03.12] collect(2 fast calls, 60 s)",
                () -> PartialResults.collect(calls, Duration.ofSeconds(60)));
        try {
            Map<String, String> results = awaitWatching("03.12", "every call answered at once, but collect was still "
                    + "waiting after " + PATIENCE.toSeconds() + " s of its 60 s budget: the budget is a limit, "
                    + "not a wait; return when every call is done", collect);

            assertThat(results).as("[03.12] both answers (README 03.12)")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("inventory", "12 in stock", "pricing", "9.99 EUR"));
        } finally {
            stop(collect);
        }
    }

    @Test
    @DisplayName("runs the calls at the same time")
    void runsTheCallsAtTheSameTime() throws InterruptedException {
        CountDownLatch bothRunning = new CountDownLatch(2);
        Callable<String> waitForTheOther = () -> {
            bothRunning.countDown();
            bothRunning.await();
            return "met the other";
        };
        Map<String, Callable<String>> calls = Map.of("a", waitForTheOther, "b", waitForTheOther);
        Background<Map<String, String>> collect = Background.call("[03.12] collect(2 calls that wait for each other)",
                () -> PartialResults.collect(calls, Duration.ofSeconds(60)));
        try {
            Map<String, String> results = awaitWatching("03.12", "two calls that only finish once both are running "
                    + "did not finish: start every call before you wait for any", collect);

            assertThat(results).as("[03.12] both answers (README 03.12)")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("a", "met the other", "b", "met the other"));
        } finally {
            stop(collect);
        }
    }
}
