package workshop.scenarios.jobs.adapter.postgres;

import workshop.scenarios.jobs.domain.Job;
import workshop.support.NotSolvedYet;

import java.sql.Connection;
import java.sql.SQLException;
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
        // TODO 06.17: claim the oldest ready rows in one statement, skipping the rows another transaction holds
        throw new NotSolvedYet("06.17");
    }
}
