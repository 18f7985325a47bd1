package workshop.scenarios.jobs.adapter.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The queue's file seen through a JDBC connection of the test's own, beside the queue's: to put a job in a state
 * without the method under test, to read a row as it is, and to inject a fault with a trigger, inside the database,
 * without touching the learner's code path.
 */
final class SqliteRawFile implements AutoCloseable {

    /** A job's row, as stored. */
    record Row(String state, int failures, long notBefore, Long leaseExpires) {
    }

    private final Connection connection;

    SqliteRawFile(Path file) throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        }
    }

    /** Marks a job leased until {@code expires}, as a lease would: the state {@code complete} meets in production. */
    void markLeased(String id, long expires) throws SQLException {
        execute("UPDATE jobs SET state = 'leased', lease_expires = ? WHERE id = ?", expires, id);
    }

    Optional<Row> row(String id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT state, failures, not_before, lease_expires FROM jobs WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long expires = r.getLong(4);
                Long leaseExpires = r.wasNull() ? null : expires;
                return Optional.of(new Row(r.getString(1), r.getInt(2), r.getLong(3), leaseExpires));
            }
        }
    }

    /**
     * Makes every statement that {@code event} names fail, as if the process died right there: e.g.
     * {@code "INSERT ON results"} or {@code "UPDATE OF state ON jobs WHEN NEW.state = 'done'"}. SQLite rolls back the
     * failing statement, not its transaction: what else the transaction wrote is committed or rolled back by the
     * code under test.
     */
    void failEvery(String name, String event) throws SQLException {
        execute("CREATE TRIGGER " + name + " BEFORE " + event + " BEGIN SELECT RAISE(ABORT, 'injected fault: "
                + name + "'); END");
    }

    void heal(String name) throws SQLException {
        execute("DROP TRIGGER IF EXISTS " + name);
    }

    void execute(String sql, Object... params) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
