package workshop.scenarios.jobs;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.scenarios.jobs.adapter.sqlite.SqliteJobQueue;
import workshop.scenarios.jobs.adapter.sqlite.SqliteJobQueue.QueueCounts;
import workshop.scenarios.jobs.application.JobProcessor;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.jobs.downstreams.FakeApi;
import workshop.scenarios.testing.ChildJvm;
import workshop.support.TimeLimit;
import workshop.support.testing.Patience;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The issue's headline: the processor ({@link Main}, with the queue in an SQLite file) is killed with SIGKILL in the
 * middle of a burst and started again on the same file; in the end every job is done or dead-lettered, none is lost,
 * and every result counts once. It proves the leases of 06.15 (the killed processor's jobs come back) and the
 * idempotent results of 06.14 (a job completed twice counts once) in a real crash, with the whole processor: the
 * child runs your classes of 06.10 to 06.16.
 */
@Tag("06.15")
@Tag("end-to-end") // a whole service in child JVMs: run by ./mvnw test, left out of each wrong answer's check
@DisplayName("06.15 Leases that survive a crash: the processor killed with kill -9 and started again")
@TimeLimit(seconds = 180) // two child JVMs: 3 s each to start on a quiet machine, up to 27 s measured under load
class ProcessorCrashTest {

    private static final int JOBS = 300;
    private static final int WORKERS = 8;
    private static final Pattern READY = Pattern.compile("jobs processor ready \\(workers=\\d+");
    /** How long the jobs may make no progress at all before the test gives up: no retry waits this long. */
    private static final Duration STALLED = Patience.seconds(10);

    @TempDir
    Path directory;

    @Test
    void loses_no_job_and_counts_every_result_once() throws Exception {
        theQueueIsSolved();
        Path file = directory.resolve("jobs.db");
        Map<JobId, String> payloads = new LinkedHashMap<>();
        IntStream.rangeClosed(1, JOBS).forEach(i -> payloads.put(new JobId("job-" + i), "payload " + i));
        FakeApi.Settings settings = FakeApi.Settings.DEFAULT.withLatency(Duration.ofMillis(10), Duration.ofMillis(40))
                .withFailureRate(0.3).withSeed(15);

        try (FakeApi api = FakeApi.start(settings);
             SqliteJobQueue queue = SqliteJobQueue.open(file, InstantSource.system())) {
            queue.enqueue(payloads.entrySet().stream().map(e -> new Job(e.getKey(), e.getValue(), 0)).toList());
            List<String> arguments = List.of("--db", file.toString(), "--api", api.uri().toString(),
                    "--workers", String.valueOf(WORKERS));

            QueueCounts beforeTheKill;
            try (ChildJvm first = start("processor 1", arguments)) {
                beforeTheKill = awaitCounts(queue, first, "a quarter of the jobs done",
                        c -> c.done() + c.dead() >= JOBS / 4);
                first.kill();
            }
            QueueCounts afterTheKill = queue.counts();
            assertThat(afterTheKill.done()).as("[06.15] the queue counted %d jobs done before the kill and %d after: "
                    + "a commit that returned must survive kill -9 (WAL) (README 06.15)", beforeTheKill.done(),
                    afterTheKill.done()).isGreaterThanOrEqualTo(beforeTheKill.done());
            assertThat(afterTheKill.done() + afterTheKill.dead()).as("[06.15] the processor was killed after %s: "
                    + "the test means to kill it in the middle of the burst (README 06.15)", beforeTheKill)
                    .isLessThan(JOBS);
            int heldByTheDead = afterTheKill.leased();

            // the platform restarts the processor a minute later: the leases it held have expired by then
            expireEveryLease(file, JobProcessor.Settings.of(WORKERS).visibility());

            try (ChildJvm second = start("processor 2", arguments)) {
                QueueCounts end = awaitCounts(queue, second, "every job done or dead",
                        c -> c.done() + c.dead() == JOBS && c.leased() == 0);
                assertThat(end.results()).as("[06.15] after a kill -9 and a restart, %d jobs are done and the results "
                        + "counter says %d: a job the killed processor completed was completed again and counted "
                        + "twice, or a result was stored without its job done (README 06.14)", end.done(),
                        end.results()).isEqualTo(end.done());
                Map<JobId, String> results = queue.results();
                assertThat(results).as("[06.15] %d jobs done, %d results stored (README 06.14)", end.done(),
                        results.size()).hasSize(end.done());
                results.forEach((id, value) -> assertThat(value).as("[06.15] the result of %s", id)
                        .isEqualTo(FakeApi.resultOf(payloads.get(id))));
                assertThat(queue.deadLetters().keySet()).as("[06.15] a job is done or dead, never both")
                        .doesNotContainAnyElementsOf(results.keySet());
                assertThat(heldByTheDead).as("[06.15] the killed processor held no lease: the test means to kill "
                        + "it while it holds jobs (README 06.15)").isPositive();
            }
        }
    }

    /** The adapter's two exercises, in this JVM, before any child starts: a starter fails here, at once. */
    private void theQueueIsSolved() {
        try (SqliteJobQueue probe = SqliteJobQueue.open(directory.resolve("probe.db"), InstantSource.system())) {
            probe.enqueue(List.of(new Job(new JobId("probe"), "probe", 0)));
            probe.lease(1, Duration.ofMinutes(1));
            probe.complete(new JobResult(new JobId("probe"), "probed"));
        }
    }

    private ChildJvm start(String name, List<String> arguments) throws Exception {
        ChildJvm child = ChildJvm.start(name, directory, List.of(), Main.class.getName(), arguments);
        try {
            child.awaitLine(READY, Patience.seconds(60));
            return child;
        } catch (AssertionError e) {
            child.close();
            throw new AssertionError("[06.15] the crash test runs the whole processor (Main, with your classes of "
                    + "06.10 to 06.16) in a child JVM, and it did not start: " + e.getMessage() + " (README 06.15)",
                    e);
        }
    }

    /**
     * Reads the queue's counts from the file until {@code condition} holds, every 25 ms: the processor is another
     * process, its progress is in the file. Fails when the child ends, or when the jobs make no progress for
     * {@link #STALLED}.
     */
    private static QueueCounts awaitCounts(SqliteJobQueue queue, ChildJvm child, String what,
                                           Predicate<QueueCounts> condition) throws InterruptedException {
        QueueCounts last = queue.counts();
        long lastProgress = System.nanoTime();
        while (!condition.test(last)) {
            if (!child.isAlive()) {
                fail("[06.15] waiting for %s, the processor ended; counts are %s; %s (README 06.15)", what, last,
                        child.describe());
            }
            if (System.nanoTime() - lastProgress > STALLED.toNanos()) {
                fail("[06.15] waiting for %s, the jobs made no progress for %d s: counts are %s (a job waiting for "
                        + "its retry time is in no count). Are leased jobs that nobody completes ever ready again? "
                        + "%s (README 06.15)", what, STALLED.toSeconds(), last, child.describe());
            }
            Thread.sleep(25);
            QueueCounts now = queue.counts();
            if (!now.equals(last)) {
                lastProgress = System.nanoTime();
            }
            last = now;
        }
        return last;
    }

    /**
     * Moves every lease's end {@code visibility} into the past, as the minute that passes before a platform has
     * restarted a crashed processor would: the test does not wait for it.
     */
    private static void expireEveryLease(Path file, Duration visibility) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement pragma = c.createStatement();
             PreparedStatement s = c.prepareStatement("UPDATE jobs SET lease_expires = lease_expires - ?"
                     + " WHERE state = 'leased'")) {
            pragma.execute("PRAGMA busy_timeout = 5000");
            s.setLong(1, visibility.toMillis());
            s.executeUpdate();
        }
    }
}
