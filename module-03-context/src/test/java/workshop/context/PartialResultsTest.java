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
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
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

    private record Outcome(Map<String, String> results, int interruptedAtReturn, int exitedAtReturn) {
    }

    @Test
    @DisplayName("answers with the calls that succeeded in time; late ones are cancelled and ended, failed ones left out")
    void answersWithWhatArrivedInTime() throws InterruptedException {
        TrackedCalls late = new TrackedCalls(0);
        Map<String, Callable<String>> calls = new LinkedHashMap<>();
        calls.put("inventory", () -> "12 in stock");
        calls.put("recommendations", late.blockUntilInterrupted());
        calls.put("pricing", () -> "9.99 EUR");
        calls.put("reviews", () -> {
            throw new IllegalStateException("the reviews service is down");
        });
        calls.put("ads", late.blockUntilInterrupted());
        Background<Outcome> collect = Background.call("[03.12] collect(5 calls, " + BUDGET.toMillis() + " ms)", () -> {
            Map<String, String> results;
            try {
                results = PartialResults.collect(calls, BUDGET);
            } catch (NotSolvedYet notSolvedYet) {
                throw notSolvedYet;
            } catch (RuntimeException e) {
                throw new AssertionError("[03.12] collect threw " + e + ": neither a late call nor a failed one is "
                        + "fatal; leave them out and answer with what arrived in time (a scope's timeout throws from "
                        + "join(): catch it) (README 03.12)", e);
            }
            return new Outcome(results, late.interrupted.get(), late.exited.get());
        });
        try {
            Outcome outcome = awaitWatching("03.12", "collect did not return although its budget of "
                    + BUDGET.toMillis() + " ms was spent: does the group have a deadline, and are the late calls "
                    + "cancelled when it passes?", collect);

            assertThat(outcome.results()).as("[03.12] expected the two calls that answered in time, and nothing "
                    + "from the failed or the late ones, but got %s (README 03.12)", outcome.results())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("inventory", "12 in stock", "pricing", "9.99 EUR"));
            assertThat(outcome.interruptedAtReturn()).as("[03.12] expected the 2 late calls to be interrupted when "
                    + "the budget was spent, but %d were: cancel them, do not abandon them (README 03.12)",
                    outcome.interruptedAtReturn()).isEqualTo(2);
            assertThat(outcome.exitedAtReturn()).as("[03.12] expected the 2 late calls to have ended when collect "
                    + "returned, but %d had: wait for the cancelled calls (README 03.12)", outcome.exitedAtReturn())
                    .isEqualTo(2);
        } finally {
            stop(collect);
            late.endAll("03.12");
        }
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
