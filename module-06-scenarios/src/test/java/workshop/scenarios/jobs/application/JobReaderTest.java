package workshop.scenarios.jobs.application;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.11")
@DisplayName("06.11 Backpressure")
class JobReaderTest {

    /** 4 workers and a buffer of 8. */
    private static final int CAPACITY = 12;
    private static final Duration VISIBILITY = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(2);

    private final FakeJobQueue queue = new FakeJobQueue();
    private Background<String> run;

    /** The pool, as the reader sees it: takes up to {@code limit} jobs, then blocks (WAITING) until interrupted. */
    private static final class FakeIntake implements JobReader.Intake {
        final Queue<Job> taken = new ConcurrentLinkedQueue<>();
        private final int limit;
        private final CountDownLatch never = new CountDownLatch(1);

        FakeIntake(int limit) {
            this.limit = limit;
        }

        @Override
        public void submit(Job job) throws InterruptedException {
            if (taken.size() >= limit) {
                never.await();
            }
            taken.add(job);
        }

        List<JobId> ids() {
            return taken.stream().map(Job::id).toList();
        }
    }

    /** Runs the reader on a thread of its own; the call answers how run() ended. */
    private Background<String> running(JobReader reader) {
        run = Background.call("[06.11] JobReader.run()", () -> {
            try {
                reader.run();
                return "run() returned normally";
            } catch (InterruptedException e) {
                return "InterruptedException";
            }
        });
        return run;
    }

    private String interruptAndAwait(String when) throws InterruptedException {
        run.thread().interrupt();
        String ended = awaitWatching("06.11", "run() should end promptly when its thread is interrupted " + when
                + ": does it swallow the interrupt?", run);
        assertThat(ended).as("[06.11] run() interrupted %s should throw InterruptedException, the JDK way, but %s "
                + "(README 06.11)", when, ended).isEqualTo("InterruptedException");
        return ended;
    }

    @AfterEach
    void stop() throws InterruptedException {
        Parked.stop(run);
    }

    @Nested
    @DisplayName("while the pool is full")
    class Full {

        @Test
        @DisplayName("it leases only what the pool can hold, then waits (WAITING) until a job ends")
        void leasesOnlyWhatFits() throws Exception {
            queue.add("ready", 1_000);
            FakeIntake intake = new FakeIntake(Integer.MAX_VALUE);
            running(new JobReader(queue, intake, CAPACITY, VISIBILITY, Duration.ofMillis(50)));
            Parked.awaitParked(run, "06.11", "run() returned while 1,000 jobs were ready: it leases on until "
                    + "interrupted");
            int leased = queue.leasedTotal();
            assertThat(leased).as("[06.11] leased %,d jobs while 4 workers and a buffer of 8 could hold 12: lease only "
                    + "as many as the pool can take, and wait for room (README 06.11)", leased)
                    .isLessThanOrEqualTo(CAPACITY);
            assertThat(leased).as("[06.11] leased %d of 1,000 ready jobs although the pool had room for 12: it "
                    + "should fill the pool before it waits (README 06.11)", leased).isEqualTo(CAPACITY);
            Parked.awaitWaiting(run, "06.11", "run() returned while the pool was full");
            assertThat(intake.ids()).as("[06.11] every leased job should be handed to the pool (README 06.11)")
                    .hasSize(CAPACITY);
        }

        @Test
        @DisplayName("each job that ends makes room for one more, and no more")
        void oneEndedOneMore() throws Exception {
            queue.add("ready", 1_000);
            FakeIntake intake = new FakeIntake(Integer.MAX_VALUE);
            JobReader reader = new JobReader(queue, intake, CAPACITY, VISIBILITY, Duration.ofMillis(50));
            running(reader);
            Parked.awaitWaiting(run, "06.11", "run() returned while 1,000 jobs were ready");
            for (int ended : new int[] {1, 5}) {
                int before = queue.leasedTotal();
                for (int i = 0; i < ended; i++) {
                    reader.jobEnded();
                }
                await("[06.11] %d job(s) ended: the reader should lease %d more (README 06.11)".formatted(ended, ended))
                        .atMost(PATIENCE).pollInterval(POLL).until(() -> {
                            run.rethrowIfFailed();
                            return queue.leasedTotal() >= before + ended || run.isDone();
                        });
                Parked.awaitWaiting(run, "06.11", "run() returned while jobs were ready");
                int more = queue.leasedTotal() - before;
                assertThat(more).as("[06.11] %d job(s) ended and the reader leased %d more: with the pool full again "
                        + "it may lease only as many as have ended, or jobs wait leased in memory (README 06.11)",
                        ended, more).isEqualTo(ended);
            }
            assertThat(intake.ids()).as("[06.11] every leased job should be handed to the pool (README 06.11)")
                    .hasSize(CAPACITY + 6);
        }

        @Test
        @DisplayName("interrupted while it waits for room, it throws InterruptedException at once")
        void interruptedWhileFull() throws Exception {
            queue.add("ready", 100);
            running(new JobReader(queue, new FakeIntake(Integer.MAX_VALUE), CAPACITY, VISIBILITY,
                    Duration.ofMillis(50)));
            Parked.awaitWaiting(run, "06.11", "run() returned while 100 jobs were ready");
            interruptAndAwait("while the pool is full");
            assertThat(queue.anomalies()).as("[06.11] what the queue would refuse (README 06.11)").isEmpty();
        }

        @Test
        @DisplayName("interrupted while it hands jobs over, it releases every job it leased and did not hand over")
        void releasesWhatItHolds() throws Exception {
            queue.add("ready", 100);
            FakeIntake intake = new FakeIntake(2);
            running(new JobReader(queue, intake, CAPACITY, VISIBILITY, Duration.ofMillis(50)));
            Parked.awaitWaiting(run, "06.11", "run() returned while the pool could take no job");
            assertThat(intake.ids()).as("[06.11] the pool took 2 jobs and blocks on the third (README 06.11)")
                    .hasSize(2);
            interruptAndAwait("while it hands a job to the pool");
            List<JobId> stillLeased = queue.leasedIds();
            assertThat(stillLeased).as("[06.11] once interrupted, the reader should release the jobs it leased and did "
                    + "not hand to the pool (JobQueue.release), or they wait %d s for their lease to expire; still "
                    + "leased: %s, handed over: %s (README 06.11)", VISIBILITY.toSeconds(), stillLeased, intake.ids())
                    .containsExactlyInAnyOrderElementsOf(intake.ids());
            assertThat(queue.anomalies()).as("[06.11] what the queue would refuse (README 06.11)").isEmpty();
        }
    }

    @Nested
    @DisplayName("while the queue is empty")
    class Empty {

        @Test
        @DisplayName("it waits idlePoll between two leases, and leases a job as soon as one is ready")
        void pollsGently() throws Exception {
            Duration idlePoll = Duration.ofMillis(100);
            FakeIntake intake = new FakeIntake(Integer.MAX_VALUE);
            running(new JobReader(queue, intake, CAPACITY, VISIBILITY, idlePoll));
            await("[06.11] the reader should ask an empty queue again after idlePoll (100 ms): it asked %d times"
                    .formatted(queue.leaseCalls())).atMost(PATIENCE).pollInterval(POLL).until(() -> {
                        run.rethrowIfFailed();
                        return queue.leaseCalls() >= 3 || run.isDone();
                    });
            assertThat(run.isDone()).as("[06.11] run() returned when the queue was empty: %s (README 06.11)",
                    run.isDone() ? run.await(PATIENCE) : "").isFalse();
            List<Long> calls = queue.leaseCallNanos();
            for (int i = 1; i < 3; i++) {
                long gapMillis = (calls.get(i) - calls.get(i - 1)) / 1_000_000;
                assertThat(gapMillis).as("[06.11] the reader asked the empty queue again after %d ms: it should wait "
                        + "idlePoll (100 ms) in between, or it hammers the database (README 06.11)", gapMillis)
                        .isGreaterThanOrEqualTo(90);
            }
            queue.add("late", 3);
            await("[06.11] 3 jobs became ready: the reader should lease them at its next poll (README 06.11)")
                    .atMost(PATIENCE).pollInterval(POLL).until(() -> intake.ids().size() == 3);
        }

        @Test
        @DisplayName("interrupted while it waits to poll again, it throws InterruptedException at once")
        void interruptedWhileIdle() throws Exception {
            running(new JobReader(queue, new FakeIntake(Integer.MAX_VALUE), CAPACITY, VISIBILITY,
                    Duration.ofSeconds(30)));
            await("[06.11] the reader should ask the empty queue once (README 06.11)").atMost(PATIENCE)
                    .pollInterval(POLL).until(() -> {
                        run.rethrowIfFailed();
                        return queue.leaseCalls() >= 1 || run.isDone();
                    });
            Parked.awaitParked(run, "06.11", "run() returned when the queue was empty: it should wait idlePoll and "
                    + "ask again");
            interruptAndAwait("while it waits idlePoll (30 s here)");
        }
    }
}
