package workshop.scenarios.jobs.adapter.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.testing.EmbeddedPostgres;
import workshop.support.TimeLimit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PostgreSQL queue's given methods (everything but the lease, 06.17): they pass on the starter. */
@Tag("machinery")
@DisplayName("The PostgreSQL job queue's given methods")
@TimeLimit(seconds = 30)
class PostgresJobQueueGivenTest {

    @RegisterExtension
    static final EmbeddedPostgres.PerClass POSTGRES = EmbeddedPostgres.perClass("06.17");

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
        return new JobId("job-" + n);
    }

    private String column(String sql) throws Exception {
        try (Connection look = EmbeddedPostgres.connect(jdbcUrl); Statement statement = look.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    @Test
    @DisplayName("enqueue adds jobs ready at once and ignores an id already there; open twice keeps the data")
    void enqueueIsIdempotent() {
        queue.enqueue(List.of(new Job(id(1), "a", 0), new Job(id(2), "b", 0)));
        queue.enqueue(List.of(new Job(id(1), "changed", 0), new Job(id(3), "c", 0)));
        try (PostgresJobQueue again = PostgresJobQueue.open(jdbcUrl, EmbeddedPostgres.USER, null, clock)) {
            assertThat(again.counts()).isEqualTo(new PostgresJobQueue.QueueCounts(3, 0, 0, 0, 0));
            assertThat(again.depth()).isEqualTo(3);
        }
    }

    @Test
    @DisplayName("complete stores one result and marks the job done; a second completion changes nothing")
    void completeIsIdempotent() throws Exception {
        queue.enqueue(List.of(new Job(id(1), "a", 0), new Job(id(2), "b", 0)));
        queue.complete(new JobResult(id(1), "first"));
        queue.complete(new JobResult(id(1), "second"));
        assertThat(queue.results()).isEqualTo(Map.of(id(1), "first"));
        assertThat(queue.counts()).isEqualTo(new PostgresJobQueue.QueueCounts(1, 0, 1, 0, 1));
        assertThat(column("SELECT completed_by FROM results")).isEqualTo(queue.owner());
    }

    @Test
    @DisplayName("retryLater counts a failure and delays the job; deadLetter keeps the last error; release is at once")
    void retriesDeadLettersAndReleases() throws Exception {
        queue.enqueue(List.of(new Job(id(1), "a", 0), new Job(id(2), "b", 0), new Job(id(3), "c", 0)));
        queue.retryLater(id(1), Duration.ofSeconds(10), "status 503");
        queue.deadLetter(id(2), "status 400");
        queue.release(List.of(id(3)));

        assertThat(column("SELECT failures || ' ' || (ready_at - " + now.get() + ") FROM jobs WHERE id = 'job-1'"))
                .isEqualTo("1 10000");
        assertThat(queue.deadLetters()).isEqualTo(Map.of(id(2), "status 400"));
        assertThat(queue.depth()).as("job-1 waits for its retry, job-2 is dead, job-3 is ready").isEqualTo(1);
        now.addAndGet(10_000);
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(queue.counts()).isEqualTo(new PostgresJobQueue.QueueCounts(2, 0, 0, 1, 0));
    }

    @Test
    @DisplayName("lease rejects a max below 1 and a visibility that is not positive, before any statement")
    void leaseArguments() {
        assertThatThrownBy(() -> queue.lease(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.lease(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.lease(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
