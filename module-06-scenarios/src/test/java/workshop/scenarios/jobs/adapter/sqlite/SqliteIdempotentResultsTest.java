package workshop.scenarios.jobs.adapter.sqlite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import workshop.scenarios.jobs.adapter.sqlite.SqliteJobQueue.QueueCounts;
import workshop.scenarios.jobs.application.JobQueueException;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.support.NotSolvedYet;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

@Tag("06.14")
@DisplayName("06.14 Idempotent results")
class SqliteIdempotentResultsTest {

    private static final JobId J1 = new JobId("j-1");

    @TempDir
    Path directory;

    private final SqliteManualClock clock = new SqliteManualClock();
    private Path file;
    private SqliteJobQueue queue;
    private SqliteRawFile raw;

    @BeforeEach
    void openTheQueue() throws SQLException {
        file = directory.resolve("jobs.db");
        queue = SqliteJobQueue.open(file, clock);
        raw = new SqliteRawFile(file);
    }

    @AfterEach
    void closeTheQueue() throws SQLException {
        if (raw != null) {
            raw.close();
        }
        if (queue != null) {
            queue.close();
        }
    }

    /** Enqueues {@code ids} and marks them leased, as a processor holds them when it completes them. */
    private void leased(String... ids) throws SQLException {
        queue.enqueue(List.of(ids).stream().map(id -> new Job(new JobId(id), "payload of " + id, 0)).toList());
        for (String id : ids) {
            raw.markLeased(id, clock.millis() + 60_000);
        }
    }

    /** Completes a job and says what went wrong, if anything did, in the words of a failure message. */
    private static void complete(SqliteJobQueue queue, JobResult result, String when) {
        try {
            queue.complete(result);
        } catch (NotSolvedYet e) {
            throw e;
        } catch (RuntimeException e) {
            fail("[06.14] completing job %s %s threw %s: a completed job must be stored, and a redelivered one change "
                    + "nothing, without an exception. Is the result inserted whatever the job's state? (README 06.14)",
                    result.id(), when, e);
        }
    }

    @Nested
    @DisplayName("a job completed once")
    class Once {

        @Test
        void is_done_with_its_result_stored_and_counted_once() throws SQLException {
            leased("j-1", "j-2");

            complete(queue, new JobResult(J1, "r-1"), "once");

            QueueCounts counts = queue.counts();
            assertThat(queue.results()).as("[06.14] after complete(j-1 -> r-1) the results table should hold exactly "
                    + "that result, but it holds %s: is the result stored, keyed by the job's id? (README 06.14)",
                    queue.results()).containsExactlyEntriesOf(Map.of(J1, "r-1"));
            assertThat(raw.row("j-1").orElseThrow().state()).as("[06.14] after complete(j-1) the job should be done, "
                    + "but its state is %s: a job left leased is delivered again when its lease expires, and done "
                    + "again (README 06.14)", raw.row("j-1").orElseThrow().state()).isEqualTo("done");
            assertThat(counts).as("[06.14] after one job of two was completed the counts should be 1 done, 1 result "
                    + "and the other job still leased, but they are %s (README 06.14)", counts)
                    .isEqualTo(new QueueCounts(0, 1, 1, 0, 1));
        }

        @Test
        void whose_lease_had_expired_is_still_done_with_its_result() throws SQLException {
            leased("j-1");
            clock.advance(Duration.ofMinutes(5)); // the lease ran out while the API answered

            complete(queue, new JobResult(J1, "r-1"), "after its lease expired");

            assertThat(queue.counts()).as("[06.14] a job whose lease expired before its result came is still not "
                    + "done: its result is the work done, store it and mark the job done; counts are %s "
                    + "(README 06.14)", queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 0, 1));
            assertThat(queue.results()).containsExactlyEntriesOf(Map.of(J1, "r-1"));
        }
    }

    @Nested
    @DisplayName("a job completed again (a redelivery)")
    class Again {

        @Test
        void stores_nothing_counts_nothing_and_throws_nothing() throws SQLException {
            leased("j-1");
            complete(queue, new JobResult(J1, "r-1"), "once");

            complete(queue, new JobResult(J1, "r-1 again"), "a second time (a redelivery after a crash)");

            QueueCounts counts = queue.counts();
            assertThat(counts.results()).as("[06.14] job j-1 was completed twice (a redelivery) and the results "
                    + "counter, which counts every insert into results, says %d: the result was written twice, even "
                    + "if the table shows one row (INSERT OR REPLACE deletes the row and inserts it again). A "
                    + "redelivered job must store nothing (README 06.14)", counts.results()).isEqualTo(1);
            assertThat(queue.results()).as("[06.14] the second complete of job j-1 must change nothing: the first "
                    + "result is the one that counted, but the table holds %s (README 06.14)", queue.results())
                    .containsExactlyEntriesOf(Map.of(J1, "r-1"));
            assertThat(counts.done()).as("[06.14] one job, completed twice: done should be 1, counts are %s "
                    + "(README 06.14)", counts).isEqualTo(1);
        }

        @Test
        void after_it_was_dead_lettered_never_leaves_a_result_without_its_job_done() throws SQLException {
            leased("j-1");
            queue.deadLetter(J1, "gave up after 3 attempts");

            complete(queue, new JobResult(J1, "r-1, late"), "after it was dead-lettered (a late answer)");

            QueueCounts counts = queue.counts();
            boolean done = raw.row("j-1").orElseThrow().state().equals("done");
            assertThat(queue.results().containsKey(J1) == done && counts.results() == counts.done())
                    .as("[06.14] a late complete of dead-lettered job j-1 (its answer came after the last retry "
                            + "failed): either it stays dead and stores nothing, or it is done with its result; but "
                            + "the job is %s, the results are %s and the counts %s: a result is stored if and only if "
                            + "its job is done (README 06.14)", raw.row("j-1").orElseThrow().state(), queue.results(),
                            counts)
                    .isTrue();
        }
    }

    @Nested
    @DisplayName("a crash between the result and the job's state")
    class Crash {

        /**
         * The process dies between the two writes: simulated by a trigger that makes one of them fail, inside the
         * database. In one transaction, the other write is rolled back with it; in two, it stays.
         */
        @ParameterizedTest(name = "when {0} fails")
        @CsvSource(delimiter = '|', value = {
                "the insert of the result | INSERT ON results",
                "the update of the job to done | UPDATE OF state ON jobs WHEN NEW.state = 'done'"})
        void leaves_neither_and_the_redelivery_completes_the_job(String write, String event) throws SQLException {
            leased("j-1");
            raw.failEvery("crash", event);

            RuntimeException thrown = null;
            try {
                queue.complete(new JobResult(J1, "r-1"));
            } catch (NotSolvedYet e) {
                throw e;
            } catch (RuntimeException e) {
                thrown = e;
            }
            raw.heal("crash");

            assertThat(thrown).as("[06.14] %s failed (a crash at that point) and complete() did not throw: a "
                    + "failure of the database must reach the caller (JobQueueException) (README 06.14)", write)
                    .isInstanceOf(JobQueueException.class);
            SqliteRawFile.Row row = raw.row("j-1").orElseThrow();
            Map<JobId, String> results = queue.results();
            assertThat(row.state().equals("done") || !results.isEmpty()).as("[06.14] %s failed (a crash at that point) "
                    + "and yet %s: the other write was committed on its own. Are the two writes in one transaction, "
                    + "so that they are both in the file or neither? (README 06.14)", write,
                    row.state().equals("done") ? "job j-1 is done without a result, forever"
                            : "the result " + results + " is stored for a job that is not done and will be done again")
                    .isFalse();

            complete(queue, new JobResult(J1, "r-1"), "again after the crash");

            assertThat(queue.counts()).as("[06.14] the redelivery after the crash should complete job j-1 once, "
                    + "but counts are %s (README 06.14)", queue.counts()).isEqualTo(new QueueCounts(0, 0, 1, 0, 1));
        }
    }

    @Nested
    @DisplayName("one job completed by two threads at once")
    class AtOnce {

        private static final int JOBS = 40;

        /**
         * Each round, two threads complete the same job at once, each through its own queue on the same file (two
         * processes, or two workers holding the same job after its lease expired).
         */
        @Test
        void still_leaves_one_result() throws Exception {
            String[] ids = IntStream.rangeClosed(1, JOBS).mapToObj(i -> "j-" + i).toArray(String[]::new);
            leased(ids);
            try (SqliteJobQueue other = SqliteJobQueue.open(file, clock)) {
                SqliteRounds.run("[06.14]", ids.length, Map.of("worker A", queue, "worker B", other),
                        (name, q, round) -> complete(q, new JobResult(new JobId(ids[round]), ids[round] + " by " + name),
                                "while another worker completed it too"));
            }

            QueueCounts counts = queue.counts();
            assertThat(counts.results()).as("[06.14] %d jobs, each completed by two threads at once: the results "
                    + "counter should be %d, it is %d. Is the job's state read in one transaction and written in "
                    + "another? Between them the other thread completes it too (README 06.14)", JOBS, JOBS,
                    counts.results()).isEqualTo(JOBS);
            assertThat(counts.done()).isEqualTo(JOBS);
            assertThat(queue.results()).hasSize(JOBS);
        }
    }
}
