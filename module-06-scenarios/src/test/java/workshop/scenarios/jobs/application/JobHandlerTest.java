package workshop.scenarios.jobs.application;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.jobs.domain.RetryPolicy;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;

@Tag("06.13")
@DisplayName("06.13 One job, at least once")
class JobHandlerTest {

    /** A backoff far longer than any test: a worker that sleeps it is caught at once. */
    private static final Duration BASE = Duration.ofSeconds(10);
    private static final RetryPolicy POLICY = new RetryPolicy(3, BASE, Duration.ofMinutes(10));
    /** The largest jitter: the policy's delay comes near its ceiling, base x 2^(failures-1). */
    private static final double TOP = 0.9999;
    private static final long SLACK = Duration.ofMillis(1).toNanos();

    /** What happened, in order: the API's calls and the queue's records. */
    private final List<String> events = new ArrayList<>();
    private final FakeQueue queue = new FakeQueue();
    private final FakeApi api = new FakeApi();
    private final AtomicInteger jitterDraws = new AtomicInteger();
    private final JobHandler handler = new JobHandler(api, queue, POLICY, () -> {
        jitterDraws.incrementAndGet();
        return TOP;
    });

    private synchronized void record(String event) {
        events.add(event);
    }

    private synchronized List<String> events() {
        return List.copyOf(events);
    }

    private enum Script { ANSWER, FAIL, HOLD }

    /** The external API: answers, fails or holds the call until interrupted, as scripted; counts its calls. */
    private final class FakeApi implements ExternalApi {
        volatile Script script = Script.ANSWER;
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch never = new CountDownLatch(1);

        @Override
        public JobResult process(Job job) throws ApiException, InterruptedException {
            calls.incrementAndGet();
            record("api " + job.id());
            return switch (script) {
                case ANSWER -> new JobResult(job.id(), "answer to " + job.payload());
                case FAIL -> throw new ApiException("status 503: the API is down");
                case HOLD -> {
                    never.await();
                    throw new AssertionError("unreachable");
                }
            };
        }
    }

    /** The queue's record of outcomes; leasing is the pool's, not the handler's. */
    private final class FakeQueue implements JobQueue {
        volatile RuntimeException failure;
        final List<JobResult> completed = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        public List<Job> lease(int max, Duration visibility) {
            throw new AssertionError("[06.13] the handler leased jobs: leasing is the pool's, the handler gets one "
                    + "job (README 06.13)");
        }

        @Override
        public synchronized void complete(JobResult result) {
            record("complete " + result.id() + " " + result.value());
            if (failure != null) {
                throw failure;
            }
            completed.add(result);
        }

        @Override
        public synchronized void retryLater(JobId id, Duration delay, String error) {
            record("retryLater " + id);
            delays.add(delay);
            errors.add(error);
        }

        @Override
        public synchronized void deadLetter(JobId id, String error) {
            record("deadLetter " + id);
            errors.add(error);
        }

        @Override
        public void release(Collection<JobId> ids) {
            record("release " + ids);
        }

        @Override
        public int depth() {
            return 0;
        }
    }

    private static Job job(String id, int failures) {
        return new Job(new JobId(id), "payload of " + id, failures);
    }

    /** Runs handle() on a thread of its own and waits for it to return; fails if it still runs after PATIENCE. */
    private void handleInTime(Job job, String why) throws InterruptedException {
        Background<Void> call = Background.run("[06.13] handle(" + job.id() + ")", () -> handler.handle(job));
        try {
            await("[06.13] " + why + " (README 06.13)").atMost(PATIENCE).pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        call.rethrowIfFailed();
                        return call.isDone();
                    });
        } finally {
            if (!call.isDone()) {
                call.thread().interrupt(); // a sleeping answer: end it, so that nothing outlives the test
            }
            call.join(PATIENCE);
        }
        call.rethrowIfFailed();
    }

    @Nested
    @DisplayName("when the API answers")
    class Answer {

        @Test
        @DisplayName("the result is stored with complete(), after the API answered, once, and nothing else")
        void completes() throws InterruptedException {
            handler.handle(job("j-1", 0));
            assertThat(events()).as("[06.13] one call of the API, then complete() with its answer, and nothing "
                    + "else; what happened was %s. complete() stores the result and marks the job done in one "
                    + "step: call it after the API answered, never before, or a crash in between loses the job "
                    + "(at most once instead of at least once) (README 06.13)", events())
                    .containsExactly("api j-1", "complete j-1 answer to payload of j-1");
        }

        @Test
        @DisplayName("a job that failed before is completed the same way")
        void completesARetry() throws InterruptedException {
            handler.handle(job("j-2", 2));
            assertThat(events()).as("[06.13] a job delivered again (2 failures before) that now succeeds should be "
                    + "completed: %s (README 06.13)", events())
                    .containsExactly("api j-2", "complete j-2 answer to payload of j-2");
            assertThat(jitterDraws.get()).as("[06.13] a success needs no backoff (README 06.13)").isZero();
        }

        @Test
        @DisplayName("a queue that fails is the processor's failure: its JobQueueException propagates, no retry")
        void queueFailurePropagates() {
            queue.failure = new JobQueueException("the database is gone", new IllegalStateException("closed"));
            Throwable thrown = null;
            try {
                handler.handle(job("j-3", 0));
            } catch (Throwable t) {
                thrown = t;
            }
            assertThat(thrown).as("[06.13] when complete() throws JobQueueException, handle() should let that very "
                    + "exception out: the queue failed, not the job, and nothing else can be recorded (README 06.13)")
                    .isSameAs(queue.failure);
            assertThat(events()).as("[06.13] after the queue failed nothing more should be attempted: %s (README "
                    + "06.13)", events()).containsExactly("api j-3", "complete j-3 answer to payload of j-3");
        }
    }

    @Nested
    @DisplayName("when the API fails")
    class Failure {

        @Test
        @DisplayName("a first failure schedules a retry with the policy's backoff, and the worker does not wait it")
        void firstFailureRetries() throws InterruptedException {
            api.script = Script.FAIL;
            handleInTime(job("j-4", 0), "handle() of a failing job should return as soon as the queue has recorded "
                    + "the retry, but it still ran after " + PATIENCE.toSeconds() + " s: does the worker sleep the "
                    + "backoff (about 10 s here)? The delay is the queue's: retryLater(id, delay, error) makes the "
                    + "job ready again later while the worker takes the next one");
            assertThat(api.calls.get()).as("[06.13] one handle() should make one attempt, but the API was called "
                    + "%d times: retrying in a loop inside the handler holds the worker (and the API's capacity) "
                    + "for all the attempts; the queue brings the job back (README 06.13)", api.calls.get())
                    .isEqualTo(1);
            assertThat(events()).as("[06.13] a first failure (maxAttempts 3) should be recorded with retryLater(), "
                    + "nothing else: %s (README 06.13)", events()).containsExactly("api j-4", "retryLater j-4");
            assertThat(queue.errors.getFirst()).as("[06.13] the retry should record the API's error (README 06.13)")
                    .contains("the API is down");
            long delay = queue.delays.getFirst().toNanos();
            assertThat(delay).as("[06.13] after the first failure, with jitter %s, the policy's delay is about "
                            + "base (10 s) x 2^0, but retryLater() got %s ms: ask the policy with the failures so "
                            + "far, this one included (job.failures() + 1), and the jitter supplier's fraction "
                            + "(README 06.13)", TOP, delay / 1_000_000)
                    .isBetween((long) (0.99 * BASE.toNanos()) - SLACK, BASE.toNanos() + SLACK);
        }

        @Test
        @DisplayName("the second failure waits twice as long")
        void secondFailureBacksOff() throws InterruptedException {
            api.script = Script.FAIL;
            handleInTime(job("j-5", 1), "handle() of a failing job should return at once, without waiting the "
                    + "backoff: it is the queue's");
            assertThat(events()).as("[06.13] a second failure (maxAttempts 3) should be recorded with retryLater(): "
                    + "%s (README 06.13)", events()).containsExactly("api j-5", "retryLater j-5");
            long delay = queue.delays.getFirst().toNanos();
            assertThat(delay).as("[06.13] after the second failure (the job came with 1 failure), with jitter %s, "
                            + "the policy's delay is about base (10 s) x 2^1 = 20 s, but retryLater() got %s ms: is "
                            + "the policy asked with job.failures() + 1? (README 06.13)", TOP, delay / 1_000_000)
                    .isBetween((long) (0.99 * 2 * BASE.toNanos()) - SLACK, 2 * BASE.toNanos() + SLACK);
        }

        @Test
        @DisplayName("the third failure dead-letters the job with its error")
        void thirdFailureDeadLetters() throws InterruptedException {
            api.script = Script.FAIL;
            handleInTime(job("j-6", 2), "handle() of a failing job should return at once");
            assertThat(events()).as("[06.13] a third failure (the job came with 2, maxAttempts 3) should move it to "
                    + "the dead letters with deadLetter(), nothing else: %s (README 06.13)", events())
                    .containsExactly("api j-6", "deadLetter j-6");
            assertThat(queue.errors.getFirst()).as("[06.13] the dead letter should keep the API's error, for the "
                    + "people who will look at it (README 06.13)").contains("the API is down");
        }
    }

    @Nested
    @DisplayName("when the worker is interrupted")
    class Interrupted {

        @Test
        @DisplayName("InterruptedException propagates and nothing is recorded: no result, no failure")
        void nothingRecorded() throws InterruptedException {
            api.script = Script.HOLD;
            Background<Void> call = Background.run("[06.13] handle(j-7)", () -> handler.handle(job("j-7", 0)));
            Throwable thrown;
            try {
                awaitParked(call, "06.13", "handle() returned although the API had not answered yet");
                call.thread().interrupt(); // the pool's shutdown
                call.join(PATIENCE);
                assertThat(call.isDone()).as("[06.13] handle() should end once its thread is interrupted "
                        + "(README 06.13)").isTrue();
                thrown = exceptionOf(call);
            } finally {
                if (!call.isDone()) {
                    call.thread().interrupt();
                    call.join(PATIENCE);
                }
            }
            assertThat(thrown).as("[06.13] an interrupted handle() should throw InterruptedException (the pool is "
                    + "shutting down and waits for that), but %s: do not swallow it, not even with the interrupt "
                    + "status restored (README 06.13)", thrown == null ? "it returned normally" : "it threw " + thrown)
                    .isInstanceOf(InterruptedException.class);
            assertThat(events()).as("[06.13] an interrupted attempt is neither a success nor a failure: nothing "
                    + "should be recorded in the queue (the job stays leased and the shutdown releases it), but "
                    + "%s: an interrupt says the worker stops, nothing about the job (README 06.13)", events())
                    .containsExactly("api j-7");
        }
    }

    private static Throwable exceptionOf(Background<Void> call) throws InterruptedException {
        try {
            call.await(PATIENCE);
            return null;
        } catch (Background.CallFailed e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }
}
