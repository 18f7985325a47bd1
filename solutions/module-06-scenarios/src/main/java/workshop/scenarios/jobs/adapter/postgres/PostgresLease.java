package workshop.scenarios.jobs.adapter.postgres;

import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Exercise 06.17: Many processors, one queue
 *
 * <p>Lease the oldest ready jobs from a queue that processors in many processes share: no job goes to two leases, no
 * lease waits for the rows that another one holds, and a lease that nobody ends runs out, so that a crashed
 * processor's jobs come back. In Go, the same SQL through {@code database/sql}, with the request's context as the
 * statement's deadline:
 *
 * <pre>{@code
 * ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
 * defer cancel()
 * rows, err := db.QueryContext(ctx, `UPDATE jobs SET leased_until = $1, leased_by = $2
 *     WHERE id IN (SELECT id FROM jobs WHERE ... ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
 *     RETURNING id, payload, failures, seq`, until, owner, max)
 * }</pre>
 *
 * <p>The schema and what "ready" means are in {@link PostgresJobQueue}'s documentation.
 */
final class PostgresLease {

    /*
     * One statement, so one transaction: the CTE picks and locks the rows, the UPDATE claims them, the commit makes the
     * claim visible. FOR UPDATE alone would make a second leaser wait for the first one's locks (and then skip the rows
     * it re-checks as leased); SKIP LOCKED passes them by at once. Without a row lock at all, two leasers that read the
     * same snapshot would both claim the same rows. An expired lease (leased_until <= now) is ready again: that is
     * what brings back the jobs of a processor that crashed holding them.
     */
    private static final String LEASE = """
            WITH next AS (
                SELECT id FROM jobs
                WHERE state = 'ready' AND ready_at <= ? AND (leased_until IS NULL OR leased_until <= ?)
                ORDER BY seq
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            )
            UPDATE jobs SET leased_until = ?, leased_by = ?
            FROM next WHERE jobs.id = next.id
            RETURNING jobs.id, jobs.payload, jobs.failures, jobs.seq""";

    private PostgresLease() {
    }

    /**
     * Leases up to {@code max} ready jobs, oldest first ({@code seq}): each gets {@code leased_until = until} and
     * {@code leased_by = owner}, in one statement on an autocommit connection. Returns at once, with an empty list
     * when no job is ready, even while other transactions hold locks on some of the rows.
     *
     * @param connection an autocommit connection, which this method leaves as it found it
     * @param now        the queue's clock now, epoch ms: which jobs are due and which leases have run out
     * @param until      when the leases given now run out, epoch ms
     */
    static List<Job> lease(Connection connection, int max, long now, long until, String owner) throws SQLException {
        record Leased(Job job, long seq) {
        }
        List<Leased> leased = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(LEASE)) {
            statement.setLong(1, now);
            statement.setLong(2, now);
            statement.setInt(3, max);
            statement.setLong(4, until);
            statement.setString(5, owner);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    leased.add(new Leased(new Job(new JobId(rows.getString(1)), rows.getString(2), rows.getInt(3)),
                            rows.getLong(4)));
                }
            }
        }
        // RETURNING comes in no promised order
        return leased.stream().sorted(Comparator.comparingLong(Leased::seq)).map(Leased::job).toList();
    }
}
