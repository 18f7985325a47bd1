package workshop.scenarios.jobs.adapter.sqlite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("06.15")
@DisplayName("06.15 Leases that survive a crash")
class SqliteLeasesTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private final SqliteManualClock clock = new SqliteManualClock();
    private Path file;
    private SqliteJobQueue queue;

    @BeforeEach
    void openTheQueue() {
        file = directory.resolve("jobs.db");
        queue = SqliteJobQueue.open(file, clock);
    }

    @AfterEach
    void closeTheQueue() {
        if (queue != null) {
            queue.close();
        }
    }

    /** Enqueues jobs {@code j-from} to {@code j-to}, one enqueue each, in that order. */
    private void enqueue(int from, int to) {
        for (int i = from; i <= to; i++) {
            queue.enqueue(List.of(new Job(new JobId("j-" + i), "payload " + i, 0)));
        }
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(job -> job.id().value()).toList();
    }

    @Nested
    @DisplayName("a lease")
    class ALease {

        @Test
        void takes_up_to_max_ready_jobs_oldest_first() {
            enqueue(1, 5);

            List<Job> first = queue.lease(3, VISIBILITY);
            List<Job> second = queue.lease(3, VISIBILITY);
            List<Job> third = queue.lease(3, VISIBILITY);

            assertThat(ids(first)).as("[06.15] 5 jobs enqueued j-1 to j-5, ready from the queue's clock's now on, "
                    + "then lease(3): expected the 3 oldest, in order, got %s. Times are compared on the queue's clock "
                    + "(the one given to open), never the wall clock (README 06.15)", ids(first))
                    .containsExactly("j-1", "j-2", "j-3");
            assertThat(ids(second)).as("[06.15] the next lease(3) should take the 2 jobs left, j-4 and j-5, and "
                    + "none of those leased already, but it took %s (README 06.15)", ids(second))
                    .containsExactly("j-4", "j-5");
            assertThat(third).as("[06.15] every job is leased: a third lease should return nothing at once, got %s "
                    + "(README 06.15)", ids(third)).isEmpty();
            assertThat(first.getFirst()).as("[06.15] a job leased for the first time comes as enqueued, with 0 "
                    + "failures: a delivery is not a failure (README 06.15)")
                    .isEqualTo(new Job(new JobId("j-1"), "payload 1", 0));
            assertThat(queue.counts()).as("[06.15] after 5 jobs were leased the counts should show 5 leased, 0 ready "
                    + "(README 06.15)").isEqualTo(new SqliteJobQueue.QueueCounts(0, 5, 0, 0, 0));
        }

        @Test
        void keeps_its_jobs_invisible_until_the_visibility_time_out_passes_on_the_queues_clock() {
            enqueue(1, 1);
            assertThat(ids(queue.lease(1, VISIBILITY))).containsExactly("j-1");

            clock.advance(VISIBILITY.minusMillis(1));
            List<Job> before = queue.lease(1, VISIBILITY);

            assertThat(before).as("[06.15] job j-1 was leased for 30 s: 29.999 s later on the queue's clock it must "
                    + "still be invisible, but a second lease got %s. Does the lease make the job invisible, until a "
                    + "time of the queue's clock (not the wall clock)? (README 06.15)", ids(before)).isEmpty();
        }

        @Test
        void that_expired_gives_its_job_to_the_next_lease_with_its_failure_count_unchanged() {
            enqueue(1, 1);
            queue.retryLater(new JobId("j-1"), Duration.ZERO, "503 from the API"); // one failure so far
            assertThat(ids(queue.lease(1, VISIBILITY))).containsExactly("j-1");

            clock.advance(VISIBILITY); // its processor was killed: nobody completes or releases it
            List<Job> again = queue.lease(1, VISIBILITY);

            assertThat(ids(again)).as("[06.15] job j-1 was leased for 30 s and its processor never came back (a "
                    + "crash): 30 s later on the queue's clock the next lease must deliver it again, but it got %s. "
                    + "Does your lease ever expire? (README 06.15)", ids(again)).containsExactly("j-1");
            assertThat(again.getFirst().failures()).as("[06.15] job j-1 had failed once, then its lease expired: it "
                    + "comes back with %d failures, expected 1. An attempt that never ended (a crash) is not a "
                    + "failure, and a delivery is not one either (README 06.15)", again.getFirst().failures())
                    .isEqualTo(1);
        }

        @Test
        void does_not_take_a_job_before_its_retry_time() {
            enqueue(1, 1);
            queue.retryLater(new JobId("j-1"), Duration.ofSeconds(10), "503 from the API");
            enqueue(2, 2);

            List<Job> early = queue.lease(2, VISIBILITY);
            clock.advance(Duration.ofSeconds(10));
            List<Job> onTime = queue.lease(2, VISIBILITY);

            assertThat(ids(early)).as("[06.15] job j-1 failed and is to be retried in 10 s: a lease right away must "
                    + "take only j-2, but it took %s. Does the lease ask whether a ready job's retry time has come "
                    + "(not_before)? (README 06.15)", ids(early)).containsExactly("j-2");
            assertThat(ids(onTime)).as("[06.15] 10 s later on the queue's clock job j-1's retry time has come: the "
                    + "lease should take it, but it took %s (README 06.15)", ids(onTime)).containsExactly("j-1");
        }

        @Test
        void skips_done_and_dead_jobs() {
            enqueue(1, 3);
            queue.deadLetter(new JobId("j-1"), "gave up");

            assertThat(ids(queue.lease(5, VISIBILITY))).as("[06.15] a dead-lettered job is never delivered again "
                    + "(README 06.15)").containsExactly("j-2", "j-3");
        }
    }

    @Nested
    @DisplayName("leases taken at once")
    class AtOnce {

        private static final int JOBS = 60;

        /**
         * Each round, three threads lease one job each at once, two through one queue, one through another queue on
         * the same file (another process): a job must go to one of them only.
         */
        @Test
        void never_give_one_job_to_two_leases() throws Exception {
            queue.enqueue(IntStream.rangeClosed(1, JOBS).mapToObj(i -> new Job(new JobId("j-" + i), "p", 0)).toList());
            Map<String, List<String>> leasedBy = new ConcurrentHashMap<>();
            Set<String> twice = ConcurrentHashMap.newKeySet();
            Map<String, String> holder = new ConcurrentHashMap<>();
            try (SqliteJobQueue other = SqliteJobQueue.open(file, clock)) {
                SqliteRounds.run("[06.15]", JOBS / 3, Map.of("leaser A", queue, "leaser B", queue, "leaser C",
                        other), (name, q, round) -> {
                    for (Job job : q.lease(1, Duration.ofMinutes(10))) {
                        leasedBy.computeIfAbsent(name, n -> new ArrayList<>()).add(job.id().value());
                        String first = holder.putIfAbsent(job.id().value(), name);
                        if (first != null) {
                            twice.add(job.id().value() + " (" + first + " and " + name + ")");
                        }
                    }
                });
            }
            List<Job> rest = queue.lease(JOBS, Duration.ofMinutes(10)); // what no leaser got, if any lost a race

            assertThat(twice).as("[06.15] three leasers (two threads of one queue, one of another queue on the same "
                    + "file) leased at once, round after round, and these jobs went to two of them while the first "
                    + "lease ran: %s. Is the read of the ready jobs in one transaction and their update in another? "
                    + "Between them, another leaser reads the same jobs (README 06.15)", twice).isEmpty();
            assertThat(rest).as("[06.15] a job leased (for 10 minutes) in a round was leased again afterwards: %s "
                    + "(README 06.15)", ids(rest)).noneMatch(job -> holder.containsKey(job.id().value()));
            assertThat(holder.size() + rest.size()).as("[06.15] %d jobs, leased by three leasers one at a time, then "
                    + "the rest at once: each should have been leased once, but the leasers got %s and the rest was "
                    + "%s (README 06.15)", JOBS, leasedBy, ids(rest)).isEqualTo(JOBS);
        }
    }
}
