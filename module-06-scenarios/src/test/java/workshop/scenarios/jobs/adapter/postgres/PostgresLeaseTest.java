package workshop.scenarios.jobs.adapter.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.testing.EmbeddedPostgres;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("06.17")
@DisplayName("06.17 Many processors, one queue")
@TimeLimit(seconds = 30) // a real PostgreSQL on a loaded 2-core machine: most tests take well under a second
class PostgresLeaseTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    @RegisterExtension
    static final EmbeddedPostgres.PerClass POSTGRES = EmbeddedPostgres.perClass("06.17");

    /** The queue's clock: moved by the tests only. Not the epoch: nothing may assume that time starts at 0. */
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private String jdbcUrl;
    private PostgresJobQueue queue;

    @BeforeEach
    void openQueue() {
        jdbcUrl = POSTGRES.server().freshSchema();
        queue = PostgresJobQueue.open(jdbcUrl, EmbeddedPostgres.USER, null, clock);
    }

    @AfterEach
    void closeQueue() {
        queue.close();
    }

    private static JobId id(int n) {
        return new JobId("job-%02d".formatted(n));
    }

    private void enqueue(int count) {
        queue.enqueue(IntStream.rangeClosed(1, count).mapToObj(n -> new Job(id(n), "payload " + n, 0)).toList());
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toMillis());
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(job -> job.id().value()).toList();
    }

    @Nested
    @DisplayName("one processor")
    class OneProcessor {

        @Test
        @DisplayName("leases the oldest ready jobs, at most max, each once, and then nothing")
        void oldestFirstAtMostMax() {
            enqueue(5);

            List<Job> first = queue.lease(3, VISIBILITY);
            assertThat(ids(first)).as("[06.17] with job-01 to job-05 ready, lease(3) should return the 3 oldest in "
                    + "their order of arrival (ORDER BY seq, LIMIT), but it returned %s (README 06.17)", ids(first))
                    .containsExactly("job-01", "job-02", "job-03");
            assertThat(first.getFirst()).as("[06.17] a leased job should carry its payload and its failures so far "
                    + "(README 06.17)").isEqualTo(new Job(id(1), "payload 1", 0));

            List<Job> second = queue.lease(3, VISIBILITY);
            assertThat(ids(second)).as("[06.17] after lease(3) took job-01 to job-03, the next lease(3) should "
                    + "return only the 2 jobs nobody holds, but it returned %s: does the lease hide what it leased "
                    + "(leased_until) and skip leased jobs? (README 06.17)", ids(second))
                    .containsExactly("job-04", "job-05");

            List<Job> third = queue.lease(3, VISIBILITY);
            assertThat(ids(third)).as("[06.17] with every job leased, lease() should return an empty list at once, "
                    + "but it returned %s (README 06.17)", ids(third)).isEmpty();
        }

        @Test
        @DisplayName("never leases a job that is done or dead-lettered, and leases a released one again at once")
        void onlyReadyJobs() {
            enqueue(3);
            queue.lease(3, VISIBILITY);
            queue.complete(new JobResult(id(1), "ok"));
            queue.deadLetter(id(2), "status 400");
            queue.release(List.of(id(3)));

            List<Job> leased = queue.lease(10, VISIBILITY);
            assertThat(ids(leased)).as("[06.17] job-01 done, job-02 dead-lettered and job-03 released: lease() should "
                    + "return job-03 alone, but it returned %s: does it take only state = 'ready'? (README 06.17)",
                    ids(leased)).containsExactly("job-03");
            queue.complete(new JobResult(id(3), "ok"));

            advance(VISIBILITY.multipliedBy(2));
            List<Job> later = queue.lease(10, VISIBILITY);
            assertThat(ids(later)).as("[06.17] a done or dead-lettered job must never be delivered again, not even "
                    + "after the lease it had would have run out, but lease() returned %s (README 06.17)", ids(later))
                    .isEmpty();
        }
    }

    @Nested
    @DisplayName("a lease runs out on the queue's clock")
    class Visibility {

        @Test
        @DisplayName("a job leased by a processor that crashed is hidden until its lease ends, then delivered again")
        void crashedLeasersJobsComeBack() {
            enqueue(2);
            List<Job> crashed = queue.lease(10, VISIBILITY); // ...and its processor is killed: no complete, no release
            assertThat(ids(crashed)).as("[06.17] lease(10) should return both ready jobs (README 06.17)")
                    .containsExactly("job-01", "job-02");

            advance(VISIBILITY.minusMillis(1));
            List<Job> tooEarly = queue.lease(10, VISIBILITY);
            assertThat(ids(tooEarly)).as("[06.17] 1 ms before a lease of %d s runs out, its jobs should still be "
                    + "invisible, but lease() returned %s: is a job hidden while leased_until is after now? "
                    + "(README 06.17)", VISIBILITY.toSeconds(), ids(tooEarly)).isEmpty();

            advance(Duration.ofMillis(1));
            List<Job> again = queue.lease(10, VISIBILITY);
            assertThat(ids(again)).as("[06.17] once a lease of %d s has run out (the queue's clock at leased_until), "
                    + "its jobs should be delivered again (their processor crashed holding them), but lease() "
                    + "returned %s: is a lease that ran out ready again, or do a crashed processor's jobs stay "
                    + "leased forever? (README 06.17)", VISIBILITY.toSeconds(), ids(again))
                    .containsExactly("job-01", "job-02");
            assertThat(again).as("[06.17] an attempt that never ended is no failure: a job delivered again after a "
                    + "crash should still count 0 failures (README 06.17)").allMatch(job -> job.failures() == 0);
        }

        @Test
        @DisplayName("a job to retry is not delivered before its retry time")
        void retryTimeIsKept() {
            enqueue(1);
            queue.lease(1, VISIBILITY);
            queue.retryLater(id(1), Duration.ofSeconds(10), "status 503");

            advance(Duration.ofSeconds(10).minusMillis(1));
            List<Job> tooEarly = queue.lease(10, VISIBILITY);
            assertThat(ids(tooEarly)).as("[06.17] a job whose retry is due in 10 s should not be delivered 1 ms "
                    + "before, but lease() returned %s: does the lease check ready_at <= now? (README 06.17)",
                    ids(tooEarly)).isEmpty();

            advance(Duration.ofMillis(1));
            List<Job> due = queue.lease(10, VISIBILITY);
            assertThat(due).as("[06.17] once its retry time has come, the job should be delivered with its 1 failure "
                    + "so far, but lease() returned %s (README 06.17)", due)
                    .containsExactly(new Job(id(1), "payload 1", 1));
        }
    }

    @Nested
    @DisplayName("two processors at once")
    class TwoProcessors {

        /** The other processor: a connection of the test's own, in a transaction it leaves open while lease() runs. */
        private Connection other;
        /** A third session, which only looks at what the others wait for. */
        private Connection observer;

        @BeforeEach
        void openOther() throws SQLException {
            other = EmbeddedPostgres.connect(jdbcUrl);
            other.setAutoCommit(false);
            observer = EmbeddedPostgres.connect(jdbcUrl);
        }

        @AfterEach
        void closeOther() throws SQLException {
            try {
                other.close(); // rolls back what is still open: a lease blocked behind it goes on
            } finally {
                observer.close();
            }
        }

        /** How many sessions of this database wait for a lock now: a lease stuck behind another's row locks. */
        private int sessionsWaitingForALock() throws SQLException {
            try (Statement statement = observer.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE "
                         + "datname = current_database() AND wait_event_type = 'Lock'")) {
                rows.next();
                return rows.getInt(1);
            }
        }

        /**
         * Starts {@code lease(10)} on a thread of its own and waits until it has returned or is blocked on a lock;
         * returns whether it was blocked.
         */
        private boolean leaseWaitedForALock(Background<List<Job>> lease) {
            boolean[] blocked = {false};
            await().atMost(Patience.seconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> {
                lease.rethrowIfFailed();
                if (lease.isDone()) {
                    return true;
                }
                blocked[0] = sessionsWaitingForALock() > 0;
                return blocked[0];
            });
            return blocked[0];
        }

        @Test
        @DisplayName("a lease skips the rows another processor's open transaction has locked, and does not wait")
        void skipsLockedRowsWithoutWaiting() throws Exception {
            enqueue(4);
            try (Statement statement = other.createStatement()) {
                // the other processor is choosing job-01: it holds the row's lock and has not committed yet
                statement.execute("SELECT id FROM jobs WHERE id = 'job-01' FOR UPDATE");
            }

            Background<List<Job>> lease = Background.call("[06.17] lease(10)", () -> queue.lease(10, VISIBILITY));
            boolean blocked = leaseWaitedForALock(lease);
            other.rollback(); // frees a lease that waited, to end the test cleanly
            List<Job> leased = lease.await(Patience.seconds(20));

            assertThat(blocked).as("[06.17] while another processor's transaction held the lock on job-01, lease() "
                    + "waited for that lock instead of returning job-02 to job-04 at once: every processor then "
                    + "queues behind the slowest one; are locked rows skipped (FOR UPDATE SKIP LOCKED), not waited "
                    + "for? (README 06.17)").isFalse();
            assertThat(ids(leased)).as("[06.17] with job-01 locked by another transaction, lease(10) should return "
                    + "the other 3 jobs, but it returned %s (README 06.17)", ids(leased))
                    .containsExactly("job-02", "job-03", "job-04");
        }

        @Test
        @DisplayName("a job that another processor claimed is never leased a second time, even while it commits")
        void neverTheSameJobTwice() throws Exception {
            enqueue(3);
            long theirs = now.get() + VISIBILITY.toMillis();
            try (Statement statement = other.createStatement()) {
                // the other processor has claimed job-01 and is about to commit
                statement.executeUpdate("UPDATE jobs SET leased_until = " + theirs + ", leased_by = 'the other' "
                        + "WHERE id = 'job-01'");
            }

            Background<List<Job>> lease = Background.call("[06.17] lease(10)", () -> queue.lease(10, VISIBILITY));
            leaseWaitedForALock(lease);
            other.commit(); // the other processor's claim is now visible to all
            List<Job> leased = lease.await(Patience.seconds(20));

            assertThat(ids(leased)).as("[06.17] job-01 was leased twice: by another processor (which committed "
                    + "its claim) and by this lease(), which had read it as ready before that commit: two processors "
                    + "now do the same job. Is each row locked as the lease chooses it (FOR UPDATE ... SKIP LOCKED), "
                    + "in the same statement that claims it? (README 06.17)").doesNotContain("job-01");
            assertThat(ids(leased)).as("[06.17] with job-01 claimed by another processor, lease(10) should return "
                    + "job-02 and job-03, but it returned %s (README 06.17)", ids(leased))
                    .containsExactly("job-02", "job-03");
        }

        @Test
        @TimeLimit(seconds = 60)
        @DisplayName("eight leasers in two queues racing for 200 jobs get each job exactly once")
        void racingLeasersShareTheJobs() throws Exception {
            enqueue(200);
            try (PostgresJobQueue second = PostgresJobQueue.open(jdbcUrl, EmbeddedPostgres.USER, null, clock)) {
                int leasers = 8;
                CyclicBarrier start = new CyclicBarrier(leasers);
                List<Background<List<String>>> running = new ArrayList<>();
                for (int i = 0; i < leasers; i++) {
                    PostgresJobQueue mine = i % 2 == 0 ? queue : second;
                    running.add(Background.call("[06.17] leaser " + i, () -> {
                        start.await();
                        List<String> got = new ArrayList<>();
                        for (List<Job> batch = mine.lease(5, VISIBILITY); !batch.isEmpty();
                             batch = mine.lease(5, VISIBILITY)) {
                            got.addAll(ids(batch));
                        }
                        return got;
                    }));
                }
                Map<String, Integer> deliveries = new HashMap<>();
                for (Background<List<String>> leaser : running) {
                    leaser.await(Patience.seconds(45)).forEach(id -> deliveries.merge(id, 1, Integer::sum));
                }
                List<String> twice = deliveries.entrySet().stream().filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey).sorted().toList();
                assertThat(twice).as("[06.17] 8 leasers racing for 200 jobs should get each job once, but %d jobs "
                        + "were leased more than once (%s): is each row locked as it is chosen, in the statement "
                        + "that claims it? (README 06.17)", twice.size(),
                        twice.subList(0, Math.min(5, twice.size()))).isEmpty();
                assertThat(deliveries).as("[06.17] the 8 leasers should together lease all 200 jobs, leasing until "
                        + "lease() returned nothing, but they leased %d (README 06.17)", deliveries.size())
                        .hasSize(200);
            }
        }
    }
}
