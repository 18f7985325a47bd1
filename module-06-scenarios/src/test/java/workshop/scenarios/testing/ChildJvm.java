package workshop.scenarios.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's {@code main} in a child JVM, the way a platform runs it: the JDK 25 that runs the tests (its
 * {@code java.home}, never the {@code java} on the {@code PATH}), the tests' classpath, {@code --enable-preview}, an
 * environment without {@code JAVA_TOOL_OPTIONS}-style variables, and its output (standard output and error together)
 * in a file that the test reads while it runs.
 *
 * <p>No child outlives its test: {@link #close()} kills it (and its descendants) with SIGKILL if it still runs, so a
 * test that holds it in try-with-resources ends it even when an assertion fails; a shutdown hook kills any child left
 * over when the test JVM itself ends.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildJvm::killTree), "child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path output;
    private final List<String> command;

    private ChildJvm(String name, Process process, Path output, List<String> command) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.command = command;
    }

    /**
     * Starts {@code mainClass} with {@code arguments} in a child JVM, with {@code jvmOptions} before the class name.
     *
     * @param name      what failure messages call the child, e.g. {@code "processor 1"}
     * @param directory where its output file goes (a test's {@code @TempDir})
     */
    public static ChildJvm start(String name, Path directory, List<String> jvmOptions, String mainClass,
                                 List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-preview");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        Path output = Files.createTempFile(directory, name.replaceAll("[^A-Za-z0-9]+", "-"), ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
        Process process = builder.start();
        RUNNING.add(process);
        return new ChildJvm(name, process, output, command);
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child has printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the child prints a line that matches {@code pattern} and returns the match, checking every 20 ms
     * (the child is another process: there is nothing to wait on but its output). Fails with what the child printed
     * when it ends first or {@code timeout} passes.
     */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher match = pattern.matcher(output());
            if (match.find()) {
                return match;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended (exit code " + process.exitValue() + ") before it printed a line"
                        + " matching /" + pattern + "/; " + describe());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " printed no line matching /" + pattern + "/ within "
                        + timeout.toSeconds() + " s; " + describe());
            }
            Thread.sleep(20);
        }
    }

    /** Sends SIGTERM, as a platform does to stop a service: the JVM runs its shutdown hooks. */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL: the process ends at once, with no hook, no flush, no {@code finally}. */
    public void kill() throws InterruptedException {
        killTree(process);
        process.waitFor();
    }

    /** Waits up to {@code timeout} for the child to end and returns its exit code, or empty if it still runs. */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** What a failure message shows of the child: whether it runs, the end of what it printed, its command. */
    public String describe() {
        String state = process.isAlive() ? "still running" : "ended with exit code " + process.exitValue();
        String[] lines = output().strip().split("\\R");
        String tail = String.join("\n    ", List.of(lines).subList(Math.max(0, lines.length - 12), lines.length));
        return name + " (pid " + process.pid() + ") " + state + "; it printed:\n    " + tail + "\n  command: "
                + String.join(" ", command).replace(System.getProperty("java.class.path"), "<the tests' classpath>");
    }

    /** Kills the child (SIGKILL) and its descendants if it still runs, and waits for it to end. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (process.isAlive()) {
                kill();
            }
        } finally {
            RUNNING.remove(process);
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
