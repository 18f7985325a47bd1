package workshop.scenarios.jobs.adapter.sqlite;

import workshop.scenarios.jobs.application.JobQueue;
import workshop.scenarios.jobs.application.JobQueueException;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.support.NotSolvedYet;

import java.nio.file.Path;
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
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable queue in one SQLite file, built in two steps:
 * <ul>
 * <li>Exercise 06.14: Idempotent results
 * <li>Exercise 06.15: Leases that survive a crash
 * </ul>
 *
 * <p>A job is delivered at least once and its result counts once: {@link #complete} stores the result and marks the
 * job done in one transaction, and does nothing for a job that is done already (06.14); {@link #lease} hands out the
 * oldest ready jobs in one transaction, each with a lease that expires on the queue's clock, so that the jobs of a
 * processor killed while it held them come back (06.15). In Go, with {@code database/sql} and a SQLite driver:
 *
 * <pre>{@code
 * db, _ := sql.Open("sqlite3", "file:jobs.db?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000&_txlock=immediate")
 * tx, _ := db.BeginTx(ctx, nil)                       // BEGIN IMMEDIATE: this transaction will write
 * defer tx.Rollback()                                 // a no-op after Commit
 * res, _ := tx.ExecContext(ctx, `UPDATE jobs SET state = 'done' WHERE id = ? AND state IN ('ready', 'leased')`, id)
 * if n, _ := res.RowsAffected(); n == 1 {
 *     tx.ExecContext(ctx, `INSERT INTO results (id, value) VALUES (?, ?)`, id, value)
 * }
 * return tx.Commit()                                  // both, or neither
 * }</pre>
 *
 * <p>The schema ({@link #SCHEMA}): a job is {@code ready} (deliverable once {@code not_before} has passed: its retry
 * time), {@code leased} (invisible until {@code lease_expires}, then ready again), {@code done} or {@code dead}.
 * Times are epoch milliseconds of the clock given to {@link #open}. A trigger counts every row ever inserted into
 * {@code results}, as a change feed or an audit would: a result written twice is counted twice, even where the table
 * shows one row ({@link QueueCounts#results()}).
 *
 * <p>One writer: SQLite lets one transaction at a time write to a file. Every write here runs on one connection,
 * under a lock of this queue (threads of this JVM wait in Java, parked, not in SQLite's busy loop, which would hold
 * a carrier thread of a virtual thread in native code), as {@code BEGIN IMMEDIATE}: it takes the file's write lock
 * before its first read, so that what it reads is still true when it writes, and a second process waits for it up
 * to the busy time-out ({@value #BUSY_TIMEOUT_MS} ms) instead of failing in the middle. Reads run on connections of
 * their own and, in WAL mode, never wait for the writer.
 *
 * <p>Thread safety: every method may be called from any number of threads, and of processes on the same file, at
 * once. Memory consistency effects: a write by one thread (or process) is seen by every read that starts after its
 * method has returned.
 */
public final class SqliteJobQueue implements JobQueue, AutoCloseable {

    /** How long a write waits for another process's write transaction before it fails. */
    static final int BUSY_TIMEOUT_MS = 5_000;

    /** The tables, their index and the results counter; created when missing. */
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS jobs (
                seq           INTEGER PRIMARY KEY,
                id            TEXT    NOT NULL UNIQUE,
                payload       TEXT    NOT NULL,
                state         TEXT    NOT NULL DEFAULT 'ready'
                                      CHECK (state IN ('ready', 'leased', 'done', 'dead')),
                failures      INTEGER NOT NULL DEFAULT 0,
                not_before    INTEGER NOT NULL,
                lease_expires INTEGER,
                last_error    TEXT
            );
            CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, seq);
            CREATE TABLE IF NOT EXISTS results (
                id    TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS counters (
                name  TEXT PRIMARY KEY,
                value INTEGER NOT NULL
            );
            INSERT OR IGNORE INTO counters (name, value) VALUES ('results_stored', 0);
            CREATE TRIGGER IF NOT EXISTS count_results_stored AFTER INSERT ON results
            BEGIN
                UPDATE counters SET value = value + 1 WHERE name = 'results_stored';
            END;
            """;

    /**
     * Which jobs are ready at a time (bind it twice): a ready job whose retry time has come, or a leased job whose
     * lease has expired.
     */
    static final String READY = "((state = 'ready' AND not_before <= ?) OR (state = 'leased' AND lease_expires <= ?))";

    /** How many idle read connections the queue keeps open. */
    private static final int IDLE_READERS = 4;

    private final String url;
    private final InstantSource clock;
    private final Connection writer;
    private final ReentrantLock writing = new ReentrantLock();
    private final ConcurrentLinkedDeque<Connection> idleReaders = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private SqliteJobQueue(String url, InstantSource clock, Connection writer) {
        this.url = url;
        this.clock = clock;
        this.writer = writer;
    }

    /**
     * Opens the queue in {@code file}, creating the file and the schema if they are missing, in WAL mode with
     * {@code synchronous=NORMAL}: a commit that has returned survives a crash of the process (the kill -9 test of
     * README 06.15); on a power loss the last commits before it may be lost, never the file's consistency.
     *
     * @param clock the time of leases and retries: {@link InstantSource#system()} in production, a test's own clock
     * @throws JobQueueException if the file cannot be opened or is not a queue's database
     */
    public static SqliteJobQueue open(Path file, InstantSource clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection writer = null;
        try {
            writer = connect(url);
            try (Statement s = writer.createStatement()) {
                // persistent in the file: every later connection, of any process, finds it in WAL mode
                s.execute("PRAGMA journal_mode = WAL");
            }
            SqliteJobQueue queue = new SqliteJobQueue(url, clock, writer);
            queue.inTransaction("create the schema", c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(SCHEMA);
                }
                return null;
            });
            return queue;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writer);
            throw e instanceof JobQueueException q ? q
                    : new JobQueueException("could not open the job queue in " + file, e);
        }
    }

    private static Connection connect(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            // per connection: WAL makes a commit durable against a process crash once it is in the log; NORMAL
            // syncs the log at checkpoints, not at every commit (FULL would fsync every commit: power-loss safe)
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    /**
     * Adds jobs, ready at once, in one transaction. A job whose id is already in the queue (in any state) is
     * ignored: enqueueing is idempotent too.
     */
    public void enqueue(Collection<Job> jobs) {
        Objects.requireNonNull(jobs, "jobs");
        long now = clock.millis();
        inTransaction("enqueue " + jobs.size() + " jobs", c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT OR IGNORE INTO jobs (id, payload, failures, not_before) VALUES (?, ?, ?, ?)")) {
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

    @Override
    public List<Job> lease(int max, Duration visibility) {
        if (max < 1) {
            throw new IllegalArgumentException("max < 1: " + max);
        }
        if (visibility.isNegative() || visibility.isZero()) {
            throw new IllegalArgumentException("visibility is not positive: " + visibility);
        }
        // TODO 06.15: the oldest ready jobs, each made invisible in the same transaction: until when, on which clock?
        throw new NotSolvedYet("06.15");
    }

    @Override
    public void complete(JobResult result) {
        Objects.requireNonNull(result, "result");
        // TODO 06.14: the result and the job's state, both or neither: and when this job was completed before?
        throw new NotSolvedYet("06.14");
    }

    @Override
    public void retryLater(JobId id, Duration delay, String error) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(error, "error");
        long notBefore = clock.millis() + Math.max(0, delay.toMillis());
        inTransaction("retry job " + id + " later", c -> update(c, "UPDATE jobs SET state = 'ready',"
                        + " failures = failures + 1, not_before = ?, lease_expires = NULL, last_error = ?"
                        + " WHERE id = ? AND state IN ('ready', 'leased')", notBefore, error, id.value()));
    }

    @Override
    public void deadLetter(JobId id, String error) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(error, "error");
        inTransaction("dead-letter job " + id, c -> update(c, "UPDATE jobs SET state = 'dead',"
                        + " failures = failures + 1, lease_expires = NULL, last_error = ?"
                        + " WHERE id = ? AND state IN ('ready', 'leased')", error, id.value()));
    }

    @Override
    public void release(Collection<JobId> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return;
        }
        inTransaction("release " + ids.size() + " jobs", c -> {
            try (PreparedStatement release = c.prepareStatement(
                    "UPDATE jobs SET state = 'ready', lease_expires = NULL WHERE id = ? AND state = 'leased'")) {
                for (JobId id : ids) {
                    release.setString(1, id.value());
                    release.addBatch();
                }
                release.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int depth() {
        long now = clock.millis();
        return read("count the ready jobs",
                c -> query(c, "SELECT count(*) FROM jobs WHERE " + READY, row -> row.getInt(1), now, now).getFirst());
    }

    /**
     * How many jobs are in each state now, read at one instant (one statement, one snapshot).
     *
     * @param ready   jobs a lease would take now ({@link #depth()}); a job waiting for its retry time is in no count
     * @param leased  jobs under a lease that has not expired
     * @param done    jobs completed
     * @param dead    jobs dead-lettered
     * @param results results ever stored, counted by a trigger at every insert into {@code results}: equal to
     *                {@code done} unless a result was written twice or without its job marked done
     */
    public record QueueCounts(int ready, int leased, int done, int dead, int results) {
    }

    /** How many jobs are in each state now, and how many results were ever stored. */
    public QueueCounts counts() {
        long now = clock.millis();
        return read("count the jobs", c -> query(c, "SELECT"
                + " (SELECT count(*) FROM jobs WHERE " + READY + "),"
                + " (SELECT count(*) FROM jobs WHERE state = 'leased' AND lease_expires > ?),"
                + " (SELECT count(*) FROM jobs WHERE state = 'done'),"
                + " (SELECT count(*) FROM jobs WHERE state = 'dead'),"
                + " (SELECT value FROM counters WHERE name = 'results_stored')",
                row -> new QueueCounts(row.getInt(1), row.getInt(2), row.getInt(3), row.getInt(4), row.getInt(5)),
                now, now, now).getFirst());
    }

    /** Every stored result, by job id, in the order the jobs were enqueued. */
    public Map<JobId, String> results() {
        return read("read the results", c -> toMap(query(c, "SELECT r.id, r.value FROM results r"
                + " LEFT JOIN jobs j ON j.id = r.id ORDER BY j.seq", row -> Map.entry(row.getString(1),
                row.getString(2)))));
    }

    /** Every dead-lettered job's last error, by job id, in the order the jobs were enqueued. */
    public Map<JobId, String> deadLetters() {
        return read("read the dead letters", c -> toMap(query(c, "SELECT id, coalesce(last_error, '') FROM jobs"
                + " WHERE state = 'dead' ORDER BY seq", row -> Map.entry(row.getString(1), row.getString(2)))));
    }

    /**
     * Closes the queue's connections; a read still running closes its own when it ends. Committed writes are in
     * the file already: closing adds nothing to their durability. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        writing.lock();
        try {
            closeQuietly(writer);
        } finally {
            writing.unlock();
        }
        for (Connection c; (c = idleReaders.poll()) != null; ) {
            closeQuietly(c);
        }
    }

    // ---- the given plumbing: transactions, statements ----

    /** What a transaction or a read does with its connection. */
    @FunctionalInterface
    private interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set to a value. */
    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    /**
     * Runs {@code work} as one write transaction ({@code BEGIN IMMEDIATE ... COMMIT}) on the writer connection, under
     * the queue's write lock: all of it or none of it is in the file when this method returns; if {@code work} throws,
     * the transaction is rolled back. Blocks, uninterruptibly, while another thread of this queue writes, and up to
     * the busy time-out while another process does.
     *
     * @throws JobQueueException if a statement fails ({@code what} names the operation in its message)
     */
    private <T> T inTransaction(String what, Work<T> work) {
        writing.lock();
        try {
            if (closed) {
                throw new JobQueueException("could not " + what + ": the queue is closed", null);
            }
            try (Statement s = writer.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            boolean committed = false;
            try {
                T value = work.on(writer);
                try (Statement s = writer.createStatement()) {
                    s.execute("COMMIT");
                }
                committed = true;
                return value;
            } finally {
                if (!committed) {
                    rollbackQuietly(writer);
                }
            }
        } catch (SQLException e) {
            throw new JobQueueException("could not " + what + ": " + e.getMessage(), e);
        } finally {
            writing.unlock();
        }
    }

    /**
     * Runs {@code work} on a read connection of its own, without waiting for the writer (WAL); each statement reads
     * one snapshot of the file.
     *
     * @throws JobQueueException if a statement fails
     */
    private <T> T read(String what, Work<T> work) {
        Connection c = null;
        try {
            if (closed) {
                throw new JobQueueException("could not " + what + ": the queue is closed", null);
            }
            c = idleReaders.poll();
            if (c == null) {
                c = connect(url);
            }
            return work.on(c);
        } catch (SQLException e) {
            closeQuietly(c);
            c = null;
            throw new JobQueueException("could not " + what + ": " + e.getMessage(), e);
        } finally {
            if (c != null) {
                if (closed || idleReaders.size() >= IDLE_READERS) {
                    closeQuietly(c);
                } else {
                    idleReaders.push(c);
                    if (closed && idleReaders.remove(c)) { // close() ran meanwhile and may have missed it
                        closeQuietly(c);
                    }
                }
            }
        }
    }

    /** Executes an INSERT, UPDATE or DELETE with {@code params} bound in order; returns how many rows it changed. */
    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        }
    }

    /** Executes a SELECT with {@code params} bound in order; returns its rows, mapped. */
    private static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(row.map(rows));
                }
                return values;
            }
        }
    }

    private static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
    }

    private static Map<JobId, String> toMap(List<Map.Entry<String, String>> entries) {
        Map<JobId, String> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(new JobId(e.getKey()), e.getValue()));
        return map;
    }

    private static void rollbackQuietly(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // no transaction left to roll back (SQLite ended it itself), or the connection is gone: nothing to undo
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing: nothing left to do with it
            }
        }
    }
}
