package workshop.gc.tuning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a workload's {@code main} in a child JVM with a learner's options, the way a container runs a service: the JDK
 * 25 that runs the tests (its {@code java.home}, never the {@code java} on the {@code PATH}), an environment without
 * {@code JAVA_TOOL_OPTIONS}, {@code _JAVA_OPTIONS} or {@code JDK_JAVA_OPTIONS} (they would add options the learner did
 * not write), two processors, {@code -XX:+ExitOnOutOfMemoryError} (an {@code OutOfMemoryError} ends the child with exit
 * code 3) and a GC log in a file. A child that does not finish in time is killed, and so is a child whose test is
 * interrupted: no child outlives its run.
 *
 * <p>The options go on the command line in three groups: the test's {@code before} (which the learner's may
 * override), the learner's, then the test's {@code after} (which override the learner's: the container's limit).
 */
final class ChildJvm {

    /** The exit code of a JVM that {@code -XX:+ExitOnOutOfMemoryError} ended. */
    static final int OUT_OF_MEMORY_EXIT_CODE = 3;

    private static final Pattern COLLECTOR = Pattern.compile("\\[gc\\s*\\]\\s*Using (.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern GC_ID = Pattern.compile("\\[gc\\s*\\]\\s*GC\\((\\d+)\\)");

    private ChildJvm() {
    }

    /**
     * What the child did: its exit code (empty if it was killed because it took too long), everything it printed
     * (standard output and error together), the {@code key=value} lines of that output, and its GC log.
     */
    record Run(Optional<Integer> exitCode, Duration took, String output, Map<String, String> values, String gcLog,
               List<String> command) {

        boolean ranOutOfMemory() {
            return exitCode.equals(Optional.of(OUT_OF_MEMORY_EXIT_CODE));
        }

        boolean finished() {
            return exitCode.equals(Optional.of(0)) && values.containsKey("done");
        }

        Optional<Long> longValue(String key) {
            return Optional.ofNullable(values.get(key)).map(Long::parseLong);
        }

        /** The collector the GC log names in its {@code Using ...} line, e.g. {@code G1} or {@code Shenandoah}. */
        Optional<String> collector() {
            Matcher using = COLLECTOR.matcher(gcLog);
            return using.find() ? Optional.of(using.group(1)) : Optional.empty();
        }

        /** How many collections the GC log numbers ({@code GC(0)}, {@code GC(1)}, ...). */
        long collections() {
            return GC_ID.matcher(gcLog).results().mapToLong(m -> Long.parseLong(m.group(1)) + 1).max().orElse(0);
        }

        /** What a failure message shows of the child: how it ended and the end of what it printed. */
        String describe() {
            String ending = exitCode.map(code -> "exit code " + code).orElse("killed after " + took.toMillis() + " ms");
            String[] lines = output.strip().split("\\R");
            String tail = String.join("\n    ", List.of(lines).subList(Math.max(0, lines.length - 8), lines.length));
            return ending + "; it printed:\n    " + tail + "\n  command: " + String.join(" ", command);
        }
    }

    /**
     * Runs {@code main} of {@code workload} in a child JVM and waits for it, at most {@code timeout}.
     *
     * @param exercise the exercise id, for failure messages
     * @param before options the learner's may override
     * @param learner the learner's options; each must start with {@code -}
     * @param after options that override the learner's
     */
    static Run run(String exercise, List<String> before, List<String> learner, List<String> after,
                   Class<?> workload, List<String> arguments, Duration timeout) throws InterruptedException {
        for (String option : learner) {
            if (option == null || !option.strip().startsWith("-") || option.strip().contains(" ")) {
                throw new AssertionError("[" + exercise + "] " + (option == null ? "null" : "'" + option + "'")
                        + " is not one JVM option: each element of jvmOptions() is one option, starting with '-',"
                        + " e.g. List.of(\"-XX:+UseSerialGC\", \"-Xss1m\") (README " + exercise + ")");
            }
        }
        Path dir = createTempDirectory(exercise);
        try {
            Path gcLog = dir.resolve("gc.log");
            Path output = dir.resolve("output.txt");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(before);
            learner.stream().map(String::strip).forEach(command::add);
            command.addAll(after);
            command.addAll(List.of("-XX:ActiveProcessorCount=2", "-XX:+ExitOnOutOfMemoryError",
                    "-Xlog:gc:file=" + gcLog, "--enable-preview", "-cp", classPathOf(workload), workload.getName()));
            command.addAll(arguments);

            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet()
                    .removeAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
            long start = System.nanoTime();
            Process child = builder.start();
            Optional<Integer> exitCode;
            try {
                exitCode = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        ? Optional.of(child.exitValue()) : Optional.empty();
            } finally {
                if (child.isAlive()) {
                    child.destroyForcibly();
                    child.onExit().get(10, TimeUnit.SECONDS);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String printed = read(output);
            return new Run(exitCode, took, printed, values(printed), read(gcLog), List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("[" + exercise + "] a killed child JVM did not end", e);
        } finally {
            delete(dir);
        }
    }

    private static Map<String, String> values(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[a-z-]+")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            } else if (line.strip().matches("[a-z-]+")) { // a marker: "done", "burst-start"
                values.put(line.strip(), "");
            }
        }
        return values;
    }

    private static String classPathOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path createTempDirectory(String exercise) {
        try {
            return Files.createTempDirectory("workshop-" + exercise + "-child-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a test for
        }
    }
}
