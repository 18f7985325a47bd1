package workshop.scenarios.jobs.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Does a commit that has returned survive {@code kill -9}? A child JVM commits one row per transaction into an SQLite
 * file and prints each row's id once its commit has returned (an acknowledgement); the lab kills it with SIGKILL
 * after a while, opens the file again and counts the acknowledged rows that are missing. One line per
 * {@code synchronous} setting: commits per second (min-max over the rounds) and rows lost.
 *
 * <p>Run: {@code ./mvnw -q -Plab -DskipTests verify -pl module-06-scenarios -am
 * -Dworkshop.lab.main=workshop.scenarios.jobs.lab.CommitDurabilityLab}; environment variables
 * {@code DURABILITY_LAB_ROUNDS} (default 5), {@code DURABILITY_LAB_RUN_MS} (how long each child commits before the
 * kill, default 2000) and {@code DURABILITY_LAB_MODES} (default {@code WAL:OFF,WAL:NORMAL,WAL:FULL,DELETE:FULL}).
 *
 * <p>A process crash is not a power loss: the kill stops the process, the kernel keeps every page it was given,
 * so any commit that reached {@code write()} survives, whatever the fsync policy. What {@code synchronous} buys is
 * the power-loss (and kernel-crash) case, which this lab cannot produce: with WAL and {@code NORMAL} the last commits
 * before a power loss may be rolled back (the WAL is synced at checkpoints only); {@code FULL} syncs it at every commit.
 */
public final class CommitDurabilityLab {

    private CommitDurabilityLab() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--writer")) {
            writer(Path.of(args[1]), args[2]);
            return;
        }
        int rounds = Integer.parseInt(env("DURABILITY_LAB_ROUNDS", "5"));
        long runMillis = Long.parseLong(env("DURABILITY_LAB_RUN_MS", "2000"));
        String[] modes = env("DURABILITY_LAB_MODES", "WAL:OFF,WAL:NORMAL,WAL:FULL,DELETE:FULL").split(",");
        Path directory = Files.createTempDirectory("commit-durability-lab");
        System.out.printf(Locale.ROOT, "SQLite commit durability against kill -9: %d rounds of %d ms per mode, "
                + "%d cores, JDK %s%n", rounds, runMillis, Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        System.out.printf(Locale.ROOT, "%-14s %12s %22s %6s%n", "journal:sync", "acknowledged", "commits/s (min-max)",
                "lost");
        for (String mode : modes) {
            long acknowledged = 0;
            long lost = 0;
            double slowest = Double.MAX_VALUE;
            double fastest = 0;
            for (int round = 1; round <= rounds; round++) {
                Path file = directory.resolve(mode.replace(':', '-') + "-" + round + ".db");
                Round r = round(file, mode, runMillis);
                acknowledged += r.acknowledged();
                lost += r.lost();
                slowest = Math.min(slowest, r.perSecond());
                fastest = Math.max(fastest, r.perSecond());
            }
            System.out.printf(Locale.ROOT, "%-14s %12d %22s %6d%n", mode, acknowledged,
                    String.format(Locale.ROOT, "%,.0f-%,.0f", slowest, fastest), lost);
        }
        try (var files = Files.list(directory)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(directory);
    }

    private record Round(long acknowledged, long lost, double perSecond) {
    }

    /** One child: start it, let it commit for {@code runMillis}, SIGKILL it, count what is missing. */
    private static Round round(Path file, String mode, long runMillis) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), CommitDurabilityLab.class.getName(), "--writer",
                file.toString(), mode));
        Path acknowledgements = Path.of(file + ".acks");
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(acknowledgements.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lastAcknowledged(acknowledgements) < 0) { // another process: its output is all there is to watch
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the writer did not start (exit or 60 s)");
                }
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            long from = lastAcknowledged(acknowledgements);
            Thread.sleep(runMillis);
            child.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hook, no flush, no finally
            child.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            long acknowledged = lastAcknowledged(acknowledgements); // what it printed before it died
            return new Round(acknowledged, missing(file, acknowledged), (acknowledged - from) / seconds);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The last id in the child's output whose line is complete: -1 before "ready", 0 right after it. */
    private static long lastAcknowledged(Path acknowledgements) throws IOException {
        String text = Files.readString(acknowledgements, StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return -1;
        }
        int start = text.lastIndexOf('\n', end - 1) + 1;
        String line = text.substring(start, end);
        return line.equals("ready") ? 0 : Long.parseLong(line);
    }

    /** How many of the rows 1 to {@code acknowledged} are not in the file, reopened after the kill. */
    private static long missing(Path file, long acknowledged) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM rows WHERE id <= ?")) {
            s.setLong(1, acknowledged);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return acknowledged - r.getLong(1);
            }
        }
    }

    /** The child: one row per transaction, its id printed once the commit has returned, until it is killed. */
    private static void writer(Path file, String mode) throws SQLException {
        String[] journalAndSync = mode.split(":");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = " + journalAndSync[0]);
                s.execute("PRAGMA synchronous = " + journalAndSync[1]);
                s.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
            }
            System.out.println("ready");
            System.out.flush();
            String payload = "x".repeat(100);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rows (id, payload) VALUES (?, ?)")) {
                for (long id = 1; ; id++) {
                    insert.setLong(1, id);
                    insert.setString(2, payload);
                    insert.executeUpdate(); // auto-commit: one transaction, committed when this returns
                    System.out.println(id);
                    System.out.flush();
                }
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
