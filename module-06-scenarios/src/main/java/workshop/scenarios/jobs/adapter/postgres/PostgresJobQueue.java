package workshop.scenarios.jobs.adapter.postgres;

import workshop.scenarios.jobs.application.JobQueue;
import workshop.scenarios.jobs.application.JobQueueException;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The job queue in PostgreSQL, for processors in many processes (or on many machines) that share one queue: each
 * lease claims rows with {@code FOR UPDATE SKIP LOCKED} (exercise 06.17, {@link PostgresLease}), so that two leases
 * never get the same job and neither waits for the rows the other holds. Go's version is the same SQL through
 * {@code database/sql}.
 *
 * <p>The schema (created if missing), one row per job and one per result:
 * <pre>
 * jobs(id text primary key, seq bigserial,  -- seq: the order of arrival, "oldest first"
 *      payload text, state text: 'ready' | 'done' | 'dead',
 *      failures int,               -- failed attempts so far
 *      ready_at bigint,            -- epoch ms on the queue's clock: not delivered before (a retry's delay)
 *      leased_until bigint null,   -- epoch ms: invisible to other leases until then; null when not leased
 *      leased_by text null, last_error text null)
 * results(id text primary key references jobs, value text, completed_by text, completed_at bigint)
 * </pre>
 * A job is ready when {@code state = 'ready'}, {@code ready_at <= now} and it has no lease or its lease has run out
 * ({@code leased_until <= now}). Every time is read from the {@link InstantSource} given to {@link #open}, never from
 * the database's {@code now()}: a test moves it, and all processes compare times of one kind.
 *
 * <p>Thread safety: every method may be called from many threads at once. Each takes one of a few connections (at most
 * {@value #CONNECTIONS} statements run at once; a caller waits, uninterruptibly, for a free connection) and runs
 * autocommit statements or one short transaction, each bounded by a server-side {@code statement_timeout} of
 * {@value #STATEMENT_TIMEOUT_MS} ms (Go's {@code context.WithTimeout} around a query). A failed statement throws
 * {@link JobQueueException}.
 */
public final class PostgresJobQueue implements JobQueue, AutoCloseable {

    /** How many connections the queue keeps: statements that run at once, whatever the number of workers. */
    static final int CONNECTIONS = 8;
    /** The longest any statement may run before PostgreSQL cancels it. */
    static final int STATEMENT_TIMEOUT_MS = 10_000;

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS jobs (
                id           text    PRIMARY KEY,
                seq          bigserial NOT NULL,
                payload      text    NOT NULL,
                state        text    NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'done', 'dead')),
                failures     integer NOT NULL DEFAULT 0,
                ready_at     bigint  NOT NULL,
                leased_until bigint,
                leased_by    text,
                last_error   text
            );
            CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (seq) WHERE state = 'ready';
            CREATE TABLE IF NOT EXISTS results (
                id           text    PRIMARY KEY REFERENCES jobs (id),
                value        text    NOT NULL,
                completed_by text    NOT NULL,
                completed_at bigint  NOT NULL
            );
            """;

    private final String jdbcUrl;
    private final Properties credentials;
    private final InstantSource clock;
    private final String owner;
    private final Semaphore slots = new Semaphore(CONNECTIONS);
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(CONNECTIONS);
    private volatile boolean closed;

    private PostgresJobQueue(String jdbcUrl, Properties credentials, InstantSource clock, String owner) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = credentials;
        this.clock = clock;
        this.owner = owner;
    }

    /**
     * Connects to the database at {@code jdbcUrl} and creates the schema if it is missing (every process may do so at
     * once: the statements run under an advisory lock). Blocks for the connection and the statements.
     *
     * @param clock where the queue reads the time: the lease's visibility, the retry delays
     * @throws JobQueueException if the database cannot be reached or the schema not created
     */
    public static PostgresJobQueue open(String jdbcUrl, String user, String password, InstantSource clock) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(clock, "clock");
        Properties credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        // the server's own statement time-out: no client-side timer thread
        credentials.setProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT_MS);
        credentials.setProperty("ApplicationName", "jobs " + ProcessHandle.current().pid());
        PostgresJobQueue queue = new PostgresJobQueue(jdbcUrl, credentials, clock,
                "pid " + ProcessHandle.current().pid());
        queue.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(6017)"); // one creator at a time
                statement.execute(SCHEMA);
            }
            return null;
        });
        return queue;
    }

    /** What this queue writes as {@code leased_by} and {@code completed_by}: its process, {@code "pid <pid>"}. */
    public String owner() {
        return owner;
    }

    @Override
    public List<Job> lease(int max, Duration visibility) {
        if (max < 1) {
            throw new IllegalArgumentException("max < 1: " + max);
        }
        Objects.requireNonNull(visibility, "visibility");
        if (visibility.isNegative() || visibility.isZero()) {
            throw new IllegalArgumentException("visibility not positive: " + visibility);
        }
        long now = clock.millis();
        long until = now + visibility.toMillis();
        return withConnection(connection -> PostgresLease.lease(connection, max, now, until, owner));
    }

    @Override
    public void complete(JobResult result) {
        Objects.requireNonNull(result, "result");
        long now = clock.millis();
        inTransaction(connection -> {
            // the row lock of this UPDATE orders two completions of one job: the second sees state 'done' and stops
            try (PreparedStatement done = connection.prepareStatement(
                    "UPDATE jobs SET state = 'done', leased_until = NULL WHERE id = ? AND state = 'ready'")) {
                done.setString(1, result.id().value());
                if (done.executeUpdate() == 0) {
                    return null; // already done or dead, or unknown: nothing to store
                }
            }
            try (PreparedStatement store = connection.prepareStatement(
                    "INSERT INTO results (id, value, completed_by, completed_at) VALUES (?, ?, ?, ?)")) {
                store.setString(1, result.id().value());
                store.setString(2, result.value());
                store.setString(3, owner);
                store.setLong(4, now);
                store.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void retryLater(JobId id, Duration delay, String error) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delay, "delay");
        long readyAt = clock.millis() + Math.max(0, delay.toMillis());
        update("UPDATE jobs SET failures = failures + 1, ready_at = ?, leased_until = NULL, leased_by = NULL, "
                + "last_error = ? WHERE id = ? AND state = 'ready'", readyAt, String.valueOf(error), id.value());
    }

    @Override
    public void deadLetter(JobId id, String error) {
        Objects.requireNonNull(id, "id");
        update("UPDATE jobs SET state = 'dead', leased_until = NULL, leased_by = NULL, last_error = ? "
                + "WHERE id = ? AND state = 'ready'", String.valueOf(error), id.value());
    }

    @Override
    public void release(Collection<JobId> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return;
        }
        String[] values = ids.stream().map(JobId::value).toArray(String[]::new);
        withConnection(connection -> {
            try (PreparedStatement release = connection.prepareStatement("UPDATE jobs SET leased_until = NULL, "
                    + "leased_by = NULL WHERE id = ANY (?) AND state = 'ready'")) {
                release.setArray(1, connection.createArrayOf("text", values));
                return release.executeUpdate();
            }
        });
    }

    @Override
    public int depth() {
        long now = clock.millis();
        return withConnection(connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM jobs WHERE "
                    + "state = 'ready' AND ready_at <= ? AND (leased_until IS NULL OR leased_until <= ?)")) {
                count.setLong(1, now);
                count.setLong(2, now);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    /**
     * Adds jobs, ready at once, in the collection's order (the order in which leases deliver them). A job whose id is
     * already in the queue (in any state) is ignored: enqueuing again is safe.
     */
    public void enqueue(Collection<Job> jobs) {
        Objects.requireNonNull(jobs, "jobs");
        long now = clock.millis();
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (id, payload, failures, "
                    + "ready_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                for (Job job : jobs) {
                    insert.setString(1, job.id().value());
                    insert.setString(2, job.payload());
                    insert.setInt(3, job.failures());
                    insert.setLong(4, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * How many jobs are in each state now: ready (not leased, due or waiting for a retry), leased (an unexpired
     * lease holds them), done, dead; and how many results are stored.
     */
    public record QueueCounts(int ready, int leased, int done, int dead, int results) {
    }

    /** The queue's counts now, read in one statement (one snapshot). */
    public QueueCounts counts() {
        long now = clock.millis();
        return withConnection(connection -> {
            try (PreparedStatement count = connection.prepareStatement("""
                    SELECT count(*) FILTER (WHERE state = 'ready' AND (leased_until IS NULL OR leased_until <= ?)),
                           count(*) FILTER (WHERE state = 'ready' AND leased_until > ?),
                           count(*) FILTER (WHERE state = 'done'),
                           count(*) FILTER (WHERE state = 'dead'),
                           (SELECT count(*) FROM results)
                    FROM jobs""")) {
                count.setLong(1, now);
                count.setLong(2, now);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return new QueueCounts(rows.getInt(1), rows.getInt(2), rows.getInt(3), rows.getInt(4),
                            rows.getInt(5));
                }
            }
        });
    }

    /** Every stored result by job id, in the jobs' order of arrival. */
    public Map<JobId, String> results() {
        return map("SELECT r.id, r.value FROM results r JOIN jobs j USING (id) ORDER BY j.seq");
    }

    /** Every dead-lettered job's last error by job id, in the jobs' order of arrival. */
    public Map<JobId, String> deadLetters() {
        return map("SELECT id, last_error FROM jobs WHERE state = 'dead' ORDER BY seq");
    }

    /** Closes the queue's connections; a statement still running ends first. Idempotent. */
    @Override
    public void close() {
        closed = true;
        slots.acquireUninterruptibly(CONNECTIONS); // every statement has ended
        try {
            Connection connection;
            while ((connection = idle.poll()) != null) {
                closeQuietly(connection);
            }
        } finally {
            slots.release(CONNECTIONS);
        }
    }

    private Map<JobId, String> map(String sql) {
        return withConnection(connection -> {
            Map<JobId, String> map = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    map.put(new JobId(rows.getString(1)), rows.getString(2));
                }
            }
            return map;
        });
    }

    private void update(String sql, Object... parameters) {
        withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                return statement.executeUpdate();
            }
        });
    }

    /** Work with one connection. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(SqlWork<T> work) {
        return withConnection(connection -> {
            connection.setAutoCommit(false);
            try {
                T value = work.apply(connection);
                connection.commit();
                return value;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** Runs {@code work} on an idle connection (a new one if none is idle), which it returns afterwards. */
    private <T> T withConnection(SqlWork<T> work) {
        slots.acquireUninterruptibly();
        Connection connection = null;
        try {
            if (closed) {
                throw new JobQueueException("the queue is closed", null);
            }
            connection = idle.poll();
            if (connection == null) {
                connection = DriverManager.getConnection(jdbcUrl, credentials);
            }
            return work.apply(connection);
        } catch (SQLException e) {
            closeQuietly(connection); // it may be broken: the next call opens a new one
            connection = null;
            throw new JobQueueException("the job queue's statement failed: " + e.getMessage(), e);
        } finally {
            if (connection != null && !idle.offer(connection)) {
                closeQuietly(connection);
            }
            slots.release();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing more to do
        }
    }
}
