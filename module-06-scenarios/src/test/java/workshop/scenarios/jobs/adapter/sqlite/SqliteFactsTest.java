package workshop.scenarios.jobs.adapter.sqlite;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What SQLite does that the queue's design relies on (README 06.15, "One writer"), shown on two plain connections to
 * one file in WAL mode, each with a 5 s busy time-out.
 */
@Tag("machinery")
@DisplayName("SQLite facts the queue relies on")
class SqliteFactsTest {

    @TempDir
    Path directory;

    private Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA busy_timeout = 5000");
        }
        return c;
    }

    @Test
    void a_deferred_transaction_that_read_before_another_committed_cannot_write_and_does_not_wait() throws Exception {
        Path file = directory.resolve("facts.db");
        try (Connection a = connect(file); Connection b = connect(file);
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, state TEXT NOT NULL)");
            sa.execute("INSERT INTO jobs VALUES ('j-1', 'ready')");

            sa.execute("BEGIN"); // deferred: a reader until its first write
            try (ResultSet r = sa.executeQuery("SELECT state FROM jobs WHERE id = 'j-1'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("ready");
            }
            sb.execute("BEGIN IMMEDIATE"); // the other leaser: takes the write lock first, leases j-1, commits
            sb.executeUpdate("UPDATE jobs SET state = 'leased' WHERE id = 'j-1'");
            sb.execute("COMMIT");
            long start = System.nanoTime();
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> sa.executeUpdate("UPDATE jobs SET state = 'leased' WHERE id = 'j-1'"));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            sa.execute("ROLLBACK");

            assertThat(e == null ? "it succeeded" : e.getMessage()).as("the stale reader's write")
                    .contains("SQLITE_BUSY_SNAPSHOT");
            assertThat(waitedMillis).as("it fails without waiting out the 5 s busy time-out: waiting cannot help")
                    .isLessThan(4_000);
        }
    }
}
