package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("03.11")
@DisplayName("03.11 Hedged requests")
class HedgeTest {

    private record Outcome(Object result, Throwable thrown, int exitedAtReturn, boolean interruptedAtReturn) {
    }

    private static Background<Outcome> firstInBackground(String description, List<Callable<String>> replicas,
                                                         TrackedCalls counts) {
        return Background.call("[03.11] first(" + description + ")", () -> {
            try {
                String result = Hedge.first(replicas);
                return new Outcome(result, null, counts.exited.get(), Thread.currentThread().isInterrupted());
            } catch (ExecutionException | InterruptedException e) {
                return new Outcome(null, e, counts.exited.get(), Thread.currentThread().isInterrupted());
            }
        });
    }

    private static void awaitRace(TrackedCalls replicas, int count, Background<Outcome> hedge) {
        await().atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(5))
                .failFast(() -> {
                    hedge.rethrowIfFailed();
                    return false;
                })
                .untilAsserted(() -> assertThat(replicas.started.get()).as("[03.11] expected %d replicas racing at "
                        + "once, saw %d: start every replica before you wait for any (README 03.11)",
                        count, replicas.started.get()).isEqualTo(count));
    }

    @Test
    @DisplayName("returns the first answer and cancels the slower replicas, waiting until they have ended")
    void returnsTheFirstAnswerAndCancelsTheOthers() throws InterruptedException {
        TrackedCalls counts = new TrackedCalls(3);
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch middleAnswers = new CountDownLatch(1);
        List<Callable<String>> replicas = List.of(
                counts.answerWhen(never, "from replica 0"),
                counts.answerWhen(middleAnswers, "from replica 1"),
                counts.answerWhen(never, "from replica 2"));
        Background<Outcome> hedge = firstInBackground("3 replicas", replicas, counts);
        try {
            awaitRace(counts, 3, hedge);
            assertThat(counts.threads).as("[03.11] expected each replica on a thread of its own, none on the "
                    + "caller's thread, but they ran on %s, and the caller was %s (README 03.11)", counts.threads,
                    hedge.thread()).hasSize(3).doesNotContain(hedge.thread());

            middleAnswers.countDown();

            counts.awaitCancelledWhileCallerWaits("03.11", 2, hedge, "first, once replica 1 had answered,");
            Outcome outcome = awaitWatching("03.11", "first did not return after a replica answered and the losers "
                    + "had ended", hedge);

            assertThat(outcome.result()).as("[03.11] the only replica that answered was replica 1, but first "
                    + "returned %s (thrown: %s) (README 03.11)", outcome.result(), outcome.thrown())
                    .isEqualTo("from replica 1");
            assertThat(outcome.exitedAtReturn()).as("[03.11] expected all 3 replicas to have ended when first "
                    + "returned, but %d had: wait for the cancelled losers (README 03.11)", outcome.exitedAtReturn())
                    .isEqualTo(3);
        } finally {
            never.countDown();
            counts.release();
            stop(hedge);
            counts.endAll("03.11");
        }
    }

    @Test
    @DisplayName("a failed replica does not end the race while another may still answer")
    void aFailureDoesNotEndTheRace() throws InterruptedException {
        TrackedCalls counts = new TrackedCalls(2);
        CountDownLatch answer = new CountDownLatch(1);
        IllegalStateException failure = new IllegalStateException("replica 0 is down");
        List<Callable<String>> replicas = List.of(
                counts.failWhenAllStarted(failure),
                counts.answerWhen(answer, "from replica 1"));
        Background<Outcome> hedge = firstInBackground("failing, slow", replicas, counts);
        try {
            awaitRace(counts, 2, hedge);
            await("[03.11] replica 0 to fail").atMost(PATIENCE).until(() -> counts.exited.get() >= 1);
            answer.countDown();
            Outcome outcome = awaitWatching("03.11", "first did not return after replica 1 answered", hedge);

            assertThat(outcome.thrown()).as("[03.11] replica 0 failed first, but replica 1 answered later: expected "
                    + "its answer, but first threw %s: a failure must not end the race while another replica may "
                    + "still answer (README 03.11)", outcome.thrown()).isNull();
            assertThat(outcome.result()).as("[03.11] the answer of replica 1 (README 03.11)")
                    .isEqualTo("from replica 1");
        } finally {
            answer.countDown();
            counts.release();
            stop(hedge);
            counts.endAll("03.11");
        }
    }

    @Test
    @DisplayName("throws ExecutionException with one of the failures as its cause when every replica fails")
    void throwsWhenEveryReplicaFails() throws InterruptedException {
        TrackedCalls counts = new TrackedCalls(3);
        List<Exception> failures = List.of(new IllegalStateException("replica 0 is down"),
                new java.io.IOException("replica 1 is unreachable"), new IllegalStateException("replica 2 is down"));
        List<Callable<String>> replicas = failures.stream().map(counts::failWhenAllStarted).toList();
        Background<Outcome> hedge = firstInBackground("3 failing replicas", replicas, counts);
        try {
            Outcome outcome = awaitWatching("03.11", "first did not return although every replica failed", hedge);

            assertThat(outcome.thrown()).as("[03.11] every replica failed: expected ExecutionException with one of "
                    + "their exceptions as its cause, got %s (README 03.11)", outcome.thrown())
                    .isInstanceOf(ExecutionException.class);
            assertThat(outcome.thrown().getCause()).as("[03.11] the cause should be one of the replicas' failures, "
                    + "but it was %s (README 03.11)", outcome.thrown().getCause()).isIn(failures);
        } finally {
            counts.release();
            stop(hedge);
            counts.endAll("03.11");
        }
    }

    @Test
    @DisplayName("interrupting the caller cancels every replica, waits until they have ended, and throws "
                 + "InterruptedException")
    void interruptingTheCallerCancelsEveryReplica() throws InterruptedException {
        TrackedCalls counts = new TrackedCalls(2);
        CountDownLatch never = new CountDownLatch(1);
        List<Callable<String>> replicas = List.of(counts.answerWhen(never, "0"), counts.answerWhen(never, "1"));
        Background<Outcome> hedge = firstInBackground("2 replicas that never answer", replicas, counts);
        try {
            awaitRace(counts, 2, hedge);
            awaitParked(hedge, "03.11", "first returned although no replica had answered");

            hedge.thread().interrupt();

            counts.awaitCancelledWhileCallerWaits("03.11", 2, hedge, "first, once its caller was interrupted,");
            Outcome outcome = awaitWatching("03.11", "first was interrupted but did not return after the replicas "
                    + "had ended", hedge);

            assertThat(outcome.thrown()).as("[03.11] expected InterruptedException when the caller is interrupted, "
                    + "got %s (README 03.11)", outcome.thrown()).isInstanceOf(InterruptedException.class);
            assertThat(outcome.interruptedAtReturn()).as("[03.11] first threw InterruptedException with the "
                    + "interrupt status set again: the exception is how the interrupt is passed on, and a method "
                    + "that throws it clears the status, as the JDK's do (README 03.11)").isFalse();
            assertThat(outcome.exitedAtReturn()).as("[03.11] the caller was interrupted: expected both replicas to "
                    + "have been cancelled and ended when first returned, but %d had (README 03.11)",
                    outcome.exitedAtReturn()).isEqualTo(2);
        } finally {
            never.countDown();
            counts.release();
            stop(hedge);
            counts.endAll("03.11");
        }
    }
}
