package workshop.scenarios.jobs.adapter.sqlite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.scenarios.jobs.adapter.sqlite.SqliteJobQueue.QueueCounts;
import workshop.scenarios.jobs.application.JobQueueException;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The queue's given methods (everything but {@code lease} and {@code complete}): they pass on the starter.
 */
@Tag("machinery")
@DisplayName("The SQLite job queue's given methods")
class SqliteJobQueueGivenTest {

    private static final JobId J1 = new JobId("j-1");
    private static final JobId J2 = new JobId("j-2");

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
        raw.close();
        queue.close();
    }

    private void enqueue(JobId... ids) {
        queue.enqueue(List.of(ids).stream().map(id -> new Job(id, "payload of " + id, 0)).toList());
    }

    @Test
    void open_creates_the_file_in_WAL_mode_and_opens_it_again_with_its_jobs() throws SQLException {
        enqueue(J1, J2);
        queue.close();

        queue = SqliteJobQueue.open(file, clock);

        assertThat(queue.counts()).isEqualTo(new QueueCounts(2, 0, 0, 0, 0));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet mode = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void open_fails_with_a_job_queue_exception_on_a_file_that_is_no_database() throws Exception {
        Path notADatabase = Files.writeString(directory.resolve("notes.db"), "not a database, ".repeat(100));

        assertThatThrownBy(() -> SqliteJobQueue.open(notADatabase, clock)).isInstanceOf(JobQueueException.class);
    }

    @Test
    void enqueue_ignores_an_id_already_there() {
        enqueue(J1);
        queue.deadLetter(J1, "gave up");

        enqueue(J1, J2);

        assertThat(queue.counts()).isEqualTo(new QueueCounts(1, 0, 0, 1, 0));
        assertThat(queue.deadLetters()).containsExactlyEntriesOf(Map.of(J1, "gave up"));
    }

    @Test
    void retry_later_counts_a_failure_and_hides_the_job_until_its_retry_time() throws SQLException {
        enqueue(J1);
        raw.markLeased("j-1", clock.millis() + 60_000);

        queue.retryLater(J1, Duration.ofSeconds(10), "503");

        assertThat(raw.row("j-1").orElseThrow()).isEqualTo(
                new SqliteRawFile.Row("ready", 1, clock.millis() + 10_000, null));
        assertThat(queue.depth()).isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(queue.depth()).isEqualTo(1);
    }

    @Test
    void release_makes_a_leased_job_ready_at_once_without_a_failure() throws SQLException {
        enqueue(J1, J2);
        raw.markLeased("j-1", clock.millis() + 60_000);
        assertThat(queue.counts()).isEqualTo(new QueueCounts(1, 1, 0, 0, 0));

        queue.release(List.of(J1));

        assertThat(raw.row("j-1").orElseThrow()).isEqualTo(new SqliteRawFile.Row("ready", 0, clock.millis(), null));
        assertThat(queue.depth()).isEqualTo(2);
    }

    @Test
    void an_expired_lease_counts_as_ready() throws SQLException {
        enqueue(J1);
        raw.markLeased("j-1", clock.millis() + 30_000);
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 1, 0, 0, 0));

        clock.advance(Duration.ofSeconds(30));

        assertThat(queue.counts()).isEqualTo(new QueueCounts(1, 0, 0, 0, 0));
    }

    @Test
    void dead_letter_keeps_the_last_error_and_ends_the_job() throws SQLException {
        enqueue(J1);
        raw.markLeased("j-1", clock.millis() + 60_000);

        queue.deadLetter(J1, "400 from the API: bad payload");

        assertThat(queue.deadLetters()).containsExactlyEntriesOf(Map.of(J1, "400 from the API: bad payload"));
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 0, 1, 0));
    }

    @Test
    void lease_rejects_a_max_below_one_and_a_visibility_that_is_not_positive() {
        assertThatThrownBy(() -> queue.lease(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.lease(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_closed_queue_fails_with_a_job_queue_exception() {
        queue.close();

        assertThatThrownBy(() -> queue.depth()).isInstanceOf(JobQueueException.class);
        assertThatThrownBy(() -> enqueue(J1)).isInstanceOf(JobQueueException.class);
    }
}
