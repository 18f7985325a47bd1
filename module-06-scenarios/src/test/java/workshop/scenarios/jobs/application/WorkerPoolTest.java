package workshop.scenarios.jobs.application;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.jobs.domain.Job;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.scenarios.jobs.application.PoolTesting.awaitWaiting;
import static workshop.scenarios.jobs.application.PoolTesting.ids;
import static workshop.scenarios.jobs.application.PoolTesting.jobs;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.10")
@DisplayName("06.10 The pool's limit")
class WorkerPoolTest {

    private static final Duration POLL = Duration.ofMillis(2);

    private final ProbeWorker probe = new ProbeWorker(null);
    private final List<Background<?>> calls = new ArrayList<>();
    private WorkerPool pool;

    private WorkerPool started(int workers, int buffer) {
        pool = new WorkerPool(workers, buffer, probe);
        pool.start();
        return pool;
    }

    private <T> Background<T> inBackground(String description, java.util.concurrent.Callable<T> call) {
        Background<T> background = Background.call(description, call);
        calls.add(background);
        return background;
    }

    /** Submits {@code jobs} one after the other, and waits until {@code running} of them are being handled. */
    private void submitAndAwaitRunning(List<Job> jobs, int running) throws InterruptedException {
        for (Job job : jobs) {
            pool.submit(job);
        }
        await("[06.10] %d submitted jobs should be handled by the pool's %d idle workers (README 06.10)"
                .formatted(jobs.size(), running)).atMost(PATIENCE).pollInterval(POLL)
                .until(() -> probe.running() >= running);
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        if (pool != null) {
            PoolTesting.shutDown(pool, probe, calls.toArray(Background[]::new));
        }
    }

    @Nested
    @DisplayName("under a burst")
    class Burst {

        @Test
        @DisplayName("1,000 jobs into a pool of 4: never more than 4 at once, submit blocks while the buffer is full, "
                + "and exactly 4 threads handle them all")
        void burst() throws Exception {
            started(4, 8);
            List<Job> jobs = jobs("burst", 1_000);
            AtomicInteger accepted = new AtomicInteger();
            Background<Void> submitter = Background.run("[06.10] submit(job) of 1,000 jobs", () -> {
                for (Job job : jobs) {
                    pool.submit(job);
                    accepted.incrementAndGet();
                }
            });
            calls.add(submitter);
            await("[06.10] 4 jobs should be handled at once while the submitter fills the buffer (README 06.10)")
                    .atMost(PATIENCE).pollInterval(POLL).until(() -> {
                        submitter.rethrowIfFailed();
                        return probe.running() >= 4 && (submitter.isDone() || accepted.get() >= 12);
                    });
            assertThat(probe.peak()).as("[06.10] expected at most 4 jobs handled at once by a pool of 4 workers, saw "
                    + "%d: is every job given its own thread? (README 06.10)", probe.peak()).isLessThanOrEqualTo(4);
            assertThat(submitter.isDone()).as("[06.10] submit returned for all 1,000 jobs while the 4 workers were "
                    + "busy and the buffer holds 8: is the buffer bounded? submit should block while it is full "
                    + "(README 06.10)").isFalse();
            Parked.awaitWaiting(submitter, "06.10", "submit returned for all 1,000 jobs while the 4 workers were busy "
                    + "and the buffer holds 8: is the buffer bounded? submit should block while it is full");
            assertThat(accepted.get()).as("[06.10] with 4 workers busy and a buffer of 8, the pool should take 12 jobs "
                    + "and block on the 13th, but it took %d (README 06.10)", accepted.get()).isEqualTo(12);
            assertThat(pool.inFlight()).as("[06.10] inFlight() with 4 workers busy (README 06.10)").isEqualTo(4);

            probe.finish();
            awaitWatching("06.10", "once the workers go on, the submitter should get all 1,000 jobs in", submitter);
            await("[06.10] all 1,000 jobs should be handled (README 06.10)").atMost(PATIENCE).pollInterval(POLL)
                    .until(() -> probe.finished().size() == 1_000);
            assertThat(probe.peak()).as("[06.10] expected at most 4 jobs handled at once, saw %d: is every job "
                    + "given its own thread? (README 06.10)", probe.peak()).isLessThanOrEqualTo(4);
            assertThat(probe.threads()).as("[06.10] 1,000 jobs were handled by %d different threads: a pool of 4 has "
                    + "exactly 4 long-lived worker threads, each handling job after job; is every job given its own "
                    + "thread? (README 06.10)", probe.threads().size()).hasSize(4);
            assertThat(pool.inFlight()).as("[06.10] inFlight() once every job is done (README 06.10)").isZero();
        }

        @Test
        @DisplayName("an idle worker waits for the next job (WAITING), it does not poll the buffer")
        void idleWorkersWait() throws Exception {
            started(2, 2);
            submitAndAwaitRunning(jobs("idle", 2), 2);
            probe.finish();
            await("[06.10] both jobs should finish (README 06.10)").atMost(PATIENCE).pollInterval(POLL)
                    .until(() -> probe.finished().size() == 2);
            for (Thread worker : probe.threads()) {
                awaitWaiting(worker, "06.10", "an idle worker (a thread that handled a job and found the buffer empty)");
            }
        }
    }

    @Nested
    @DisplayName("closing the intake")
    class Closing {

        @Test
        @DisplayName("returns the buffered jobs, which no worker starts; busy workers finish their job and end")
        void returnsBufferedJobs() throws Exception {
            started(2, 4);
            List<Job> jobs = jobs("close", 6);
            submitAndAwaitRunning(jobs.subList(0, 2), 2);
            for (Job job : jobs.subList(2, 5)) {
                pool.submit(job);
            }
            List<Job> neverStarted = pool.closeIntake();
            assertThat(ids(neverStarted)).as("[06.10] closeIntake() should return the 3 jobs still in the buffer, "
                    + "which no worker has started, but it returned %s: a job that is neither handled nor given back "
                    + "waits for its lease to expire (README 06.10)", ids(neverStarted))
                    .containsExactlyInAnyOrderElementsOf(ids(jobs.subList(2, 5)));
            Background<String> late = inBackground("[06.10] submit(job) after closeIntake()", () -> {
                try {
                    pool.submit(jobs.get(5));
                    return "it returned";
                } catch (IllegalStateException e) {
                    return "IllegalStateException";
                }
            });
            assertThat(awaitWatching("06.10", "submit after closeIntake() should throw at once", late))
                    .as("[06.10] submit after closeIntake() should throw IllegalStateException (README 06.10)")
                    .isEqualTo("IllegalStateException");
            assertThat(pool.awaitTermination(Duration.ofMillis(50))).as("[06.10] awaitTermination should return "
                    + "false while 2 jobs are still being handled (README 06.10)").isFalse();

            probe.finish();
            assertThat(pool.awaitTermination(PATIENCE)).as("[06.10] once their jobs are done, the workers of a "
                    + "closed pool should end: awaitTermination returned false (README 06.10)").isTrue();
            assertThat(probe.started()).as("[06.10] only the 2 jobs in flight should have been handled: the jobs "
                    + "closeIntake() returned were never started, and never will be (README 06.10)")
                    .containsExactlyInAnyOrderElementsOf(ids(jobs.subList(0, 2)));
        }

        @Test
        @DisplayName("an idle pool's workers end")
        void idleWorkersEnd() throws Exception {
            started(3, 3);
            assertThat(pool.closeIntake()).as("[06.10] closeIntake() of an empty pool (README 06.10)").isEmpty();
            assertThat(pool.awaitTermination(PATIENCE)).as("[06.10] after closeIntake() an idle pool's workers "
                    + "should end, but awaitTermination returned false: does an idle worker learn that the intake "
                    + "closed? (README 06.10)").isTrue();
        }

        @Test
        @DisplayName("a submit blocked on a full buffer throws IllegalStateException, and its job is never started")
        void blockedSubmitThrows() throws Exception {
            started(1, 1);
            List<Job> jobs = jobs("blocked", 3);
            submitAndAwaitRunning(jobs.subList(0, 1), 1);
            pool.submit(jobs.get(1));
            Background<String> blocked = inBackground("[06.10] submit(job) while the buffer is full", () -> {
                try {
                    pool.submit(jobs.get(2));
                    return "it returned";
                } catch (IllegalStateException e) {
                    return "IllegalStateException";
                }
            });
            Parked.awaitWaiting(blocked, "06.10", "submit returned while the buffer was full: it should block until "
                    + "there is room");
            assertThat(ids(pool.closeIntake())).as("[06.10] closeIntake() should return the one buffered job "
                    + "(README 06.10)").containsExactly(jobs.get(1).id());
            assertThat(awaitWatching("06.10", "a submit blocked when the intake closes should throw", blocked))
                    .as("[06.10] a submit blocked when the intake closes should throw IllegalStateException: its job "
                            + "was not taken (README 06.10)").isEqualTo("IllegalStateException");
            probe.finish();
            assertThat(pool.awaitTermination(PATIENCE)).as("[06.10] the closed pool's worker should end "
                    + "(README 06.10)").isTrue();
            assertThat(probe.started()).as("[06.10] only the job in flight should have been handled (README 06.10)")
                    .containsExactly(jobs.get(0).id());
        }

        @Test
        @DisplayName("a submit blocked on a full buffer answers interruption: InterruptedException, its job not taken")
        void blockedSubmitAnswersInterrupt() throws Exception {
            started(1, 1);
            List<Job> jobs = jobs("interrupted", 3);
            submitAndAwaitRunning(jobs.subList(0, 1), 1);
            pool.submit(jobs.get(1));
            Background<String> blocked = inBackground("[06.10] submit(job) while the buffer is full", () -> {
                try {
                    pool.submit(jobs.get(2));
                    return "it returned";
                } catch (InterruptedException e) {
                    return "InterruptedException";
                }
            });
            Parked.awaitWaiting(blocked, "06.10", "submit returned while the buffer was full: it should block until "
                    + "there is room");
            blocked.thread().interrupt();
            assertThat(awaitWatching("06.10", "an interrupted submit should throw", blocked))
                    .as("[06.10] a submit interrupted while it waits should throw InterruptedException (README 06.10)")
                    .isEqualTo("InterruptedException");
            assertThat(ids(pool.closeIntake())).as("[06.10] the interrupted submit's job was not taken: only the "
                    + "one before it is buffered (README 06.10)").containsExactly(jobs.get(1).id());
        }
    }

    @Nested
    @DisplayName("interrupting the workers")
    class Interrupting {

        @Test
        @DisplayName("interruptAndJoin interrupts the busy workers, waits until they have ended, and returns their jobs")
        void interruptsAndWaits() throws Exception {
            started(3, 3);
            List<Job> jobs = jobs("stuck", 3);
            submitAndAwaitRunning(jobs, 3);
            Background<List<Job>> join = inBackground("[06.10] interruptAndJoin()", pool::interruptAndJoin);
            await("[06.10] interruptAndJoin() should interrupt every busy worker (README 06.10)").atMost(PATIENCE)
                    .pollInterval(POLL).until(() -> {
                        join.rethrowIfFailed();
                        return probe.interrupted().size() == 3 || join.isDone();
                    });
            assertThat(probe.interrupted()).as("[06.10] interruptAndJoin() should interrupt each of the 3 busy "
                    + "workers (README 06.10)").hasSize(3);
            Parked.awaitParked(join, "06.10", "interruptAndJoin() returned while 3 interrupted workers were still "
                    + "running: it should wait until they have ended");
            probe.letInterruptedEnd();
            List<Job> unfinished = awaitWatching("06.10", "interruptAndJoin() should return once the interrupted "
                    + "workers have ended: does a worker swallow the interrupt and wait for the next job?", join);
            assertThat(probe.running()).as("[06.10] interruptAndJoin() returned while %d jobs were still running "
                    + "(README 06.10)", probe.running()).isZero();
            assertThat(ids(unfinished)).as("[06.10] interruptAndJoin() should return the 3 jobs whose handling was "
                    + "interrupted: they are still leased, for the caller to release (README 06.10)")
                    .containsExactlyInAnyOrderElementsOf(ids(jobs));
            assertThat(pool.inFlight()).as("[06.10] inFlight() once the interrupted workers have ended "
                    + "(README 06.10)").isZero();
        }

        @Test
        @DisplayName("idle workers end at once when interrupted, even before the intake is closed")
        void idleWorkersEnd() throws Exception {
            started(2, 2);
            Background<List<Job>> join = inBackground("[06.10] interruptAndJoin()", pool::interruptAndJoin);
            List<Job> unfinished = awaitWatching("06.10", "interruptAndJoin() of an idle pool should return at once: "
                    + "does an idle worker swallow the interrupt and wait on?", join);
            assertThat(unfinished).as("[06.10] no job was interrupted (README 06.10)").isEmpty();
        }
    }
}
