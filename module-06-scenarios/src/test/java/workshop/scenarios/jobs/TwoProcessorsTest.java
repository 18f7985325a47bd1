package workshop.scenarios.jobs;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import workshop.scenarios.jobs.adapter.postgres.PostgresJobQueue;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.downstreams.FakeApi;
import workshop.scenarios.testing.ChildJvm;
import workshop.scenarios.testing.EmbeddedPostgres;
import workshop.support.TimeLimit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issue's scenario end to end: two processor processes ({@code Main --postgres}, each a child JVM) share one
 * PostgreSQL queue and one rate-limited API; one of them is killed with SIGKILL in the middle of a burst. In the end
 * every job is done or dead-lettered, none is lost, none has two results, and both processes did some of the work.
 * It needs the whole processor (06.10 to 06.16) and the lease (06.17) solved.
 */
@Tag("06.17")
@Tag("end-to-end") // a whole service in child JVMs: run by ./mvnw test, left out of each wrong answer's check
@DisplayName("06.17 Many processors, one queue")
class TwoProcessorsTest {

    private static final String NEEDS = "[06.17] two processors on one PostgreSQL queue (jobs.Main --postgres) need "
            + "06.10 to 06.17 solved";
    private static final int JOBS = 200;
    private static final Pattern READY = Pattern.compile("jobs processor ready \\(workers=4, ");

    @RegisterExtension
    static final EmbeddedPostgres.PerClass POSTGRES = EmbeddedPostgres.perClass("06.17");

    @Test
    @TimeLimit(seconds = 60) // two child JVMs and a burst of 200 jobs: 29 s measured at a load average of 25 on 2 cores
    @DisplayName("two processes share the queue; one is killed mid-burst; every job ends once, none is lost")
    void oneKilledMidBurst(@TempDir Path dir) throws Exception {
        String jdbcUrl = POSTGRES.server().freshSchema();
        FakeApi.Settings api = FakeApi.Settings.DEFAULT.withLatency(Duration.ofMillis(20), Duration.ofMillis(60))
                .withFailureRate(0.1).withLimit(100).withSeed(617);
        try (FakeApi fake = FakeApi.start(api);
             PostgresJobQueue queue = PostgresJobQueue.open(jdbcUrl, EmbeddedPostgres.USER, null,
                     InstantSource.system());
             Connection look = EmbeddedPostgres.connect(jdbcUrl)) {
            // the lease first, in this process: unsolved, it fails here at once, before two JVMs start
            assertThat(queue.lease(1, Duration.ofSeconds(1))).as("[06.17] an empty queue leases nothing").isEmpty();
            List<String> args = List.of("--postgres", jdbcUrl, "--user", EmbeddedPostgres.USER, "--password",
                    "unused", "--api", fake.uri().toString(), "--workers", "4");
            try (ChildJvm first = ChildJvm.start("processor 1", dir, List.of(), Main.class.getName(), args);
                 ChildJvm second = ChildJvm.start("processor 2", dir, List.of(), Main.class.getName(), args)) {
                awaitReady(first);
                awaitReady(second);
                String killed = "pid " + first.pid();
                String survivor = "pid " + second.pid();

                // the burst arrives once both run, so that both take part
                queue.enqueue(IntStream.rangeClosed(1, JOBS)
                        .mapToObj(n -> new Job(new JobId("job-" + n), "payload " + n, 0)).toList());
                awaitCompletedBy(look, killed, 5, first);
                first.kill(); // SIGKILL: no shutdown hook, no release; its leases are left behind
                int finishedAtKill = finished(look);
                List<String> heldByTheKilled = heldBy(look, killed);
                assertThat(finishedAtKill).as("%s: processor 1 should be killed mid-burst, but all %d jobs had "
                        + "already ended (README 06.17)", NEEDS, JOBS).isLessThan(JOBS);

                // Main leases for 60 s (JobProcessor.Settings.of): here those 60 s pass at once for the dead
                // process's leases, as if the queue's clock had moved; the lease's own time-out is tested in
                // PostgresLeaseTest on an injected clock
                expireLeasesOf(look, killed);

                long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
                while (finished(look) < JOBS && System.nanoTime() - deadline < 0) {
                    assertThat(second.isAlive()).as("%s; %s", NEEDS, second.describe()).isTrue();
                    Thread.sleep(50); // other processes: the database is all there is to look at
                }

                PostgresJobQueue.QueueCounts counts = queue.counts();
                assertThat(counts.done() + counts.dead()).as("%s: after processor 1 was killed holding %d jobs, "
                        + "processor 2 should end every one of the %d jobs (done or dead-lettered) within 25 s, but "
                        + "the queue counts %s: were the killed processor's jobs lost? %s (README 06.17)", NEEDS,
                        heldByTheKilled.size(), JOBS, counts, second.describe()).isEqualTo(JOBS);
                assertThat(counts.results()).as("[06.17] each done job should have exactly one result, but the "
                        + "queue counts %s (README 06.17)", counts).isEqualTo(counts.done());
                Map<String, Integer> completedBy = completedBy(look);
                assertThat(completedBy.getOrDefault(killed, 0)).as("[06.17] processor 1 should have completed some "
                        + "jobs before it was killed (README 06.17)").isPositive();
                assertThat(completedBy.getOrDefault(survivor, 0)).as("[06.17] processor 2 should have completed "
                        + "some jobs: both processes lease from the one queue; completed by: %s (README 06.17)",
                        completedBy).isPositive();
                List<String> lost = notEnded(look, heldByTheKilled);
                assertThat(lost).as("[06.17] the jobs processor 1 held when it was killed should have been "
                        + "delivered again once their lease ran out, and ended, but these did not (README 06.17)")
                        .isEmpty();
            }
        }
    }

    private static void awaitReady(ChildJvm processor) throws InterruptedException {
        try {
            processor.awaitLine(READY, Duration.ofSeconds(30));
        } catch (AssertionError e) {
            throw new AssertionError(NEEDS + ": " + e.getMessage() + " (README 06.17)", e);
        }
    }

    private static void awaitCompletedBy(Connection look, String owner, int atLeast, ChildJvm process)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (completedBy(look).getOrDefault(owner, 0) < atLeast) {
            assertThat(process.isAlive()).as("%s; %s", NEEDS, process.describe()).isTrue();
            assertThat(System.nanoTime() - deadline).as("%s: %s completed fewer than %d jobs within 20 s; %s", NEEDS,
                    owner, atLeast, process.describe()).isNegative();
            Thread.sleep(20);
        }
    }

    private static int finished(Connection look) throws SQLException {
        return queryInt(look, "SELECT count(*) FROM jobs WHERE state IN ('done', 'dead')");
    }

    private static List<String> heldBy(Connection look, String owner) throws SQLException {
        return ids(look, "SELECT id FROM jobs WHERE state = 'ready' AND leased_by = ? AND leased_until IS NOT NULL "
                + "ORDER BY seq", owner);
    }

    private static List<String> notEnded(Connection look, List<String> ids) throws SQLException {
        List<String> open = ids(look, "SELECT id FROM jobs WHERE state = 'ready' ORDER BY seq", null);
        open.retainAll(ids);
        return open;
    }

    private static void expireLeasesOf(Connection look, String owner) throws SQLException {
        try (PreparedStatement expire = look.prepareStatement("UPDATE jobs SET leased_until = ? "
                + "WHERE state = 'ready' AND leased_by = ? AND leased_until IS NOT NULL")) {
            expire.setLong(1, InstantSource.system().millis());
            expire.setString(2, owner);
            expire.executeUpdate();
        }
    }

    private static Map<String, Integer> completedBy(Connection look) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement query = look.prepareStatement(
                "SELECT completed_by, count(*) FROM results GROUP BY completed_by");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    private static List<String> ids(Connection look, String sql, String parameter) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement query = look.prepareStatement(sql)) {
            if (parameter != null) {
                query.setString(1, parameter);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private static int queryInt(Connection look, String sql) throws SQLException {
        try (PreparedStatement query = look.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
