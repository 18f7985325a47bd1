package workshop.scenarios.aggregation.lab;

import workshop.scenarios.aggregation.domain.Part;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service under load, in a process of its own (as in production, and so that the generator's JVM and the
 * service's do not share a heap, a JIT or a GC): the Java service ({@code workshop.scenarios.aggregation.Main}, run
 * with the lab's own classpath, so {@code -Psolutions} runs the reference) or its Go twin
 * ({@code lab/go/aggregation}, built with {@code go build}). Both take the same flags: {@code --port 0} and the four
 * downstreams' base URIs, and print the URL they listen on.
 */
final class ServiceProcess implements AutoCloseable {

    /** Which service. */
    enum Kind {
        JAVA("java"), GO("go");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The Java service's main class (helper E's composition root). */
    static final String JAVA_MAIN = "workshop.scenarios.aggregation.Main";
    /** The Java service's JVM: the same heap for every run; preview on (structured concurrency is a preview API). */
    static final List<String> JAVA_OPTIONS = List.of("--enable-preview", "-Xms256m", "-Xmx512m");
    static final Duration STARTUP = Duration.ofSeconds(60);
    /** The line both services print once they listen (other lines, e.g. the downstreams' URIs, may come first). */
    private static final Pattern URL =
            Pattern.compile("listening on http://(127\\.0\\.0\\.1|localhost|\\[::1]):(\\d+)");

    private final Kind kind;
    private final Process process;
    private final URI baseUri;
    private final Path log;

    private ServiceProcess(Kind kind, Process process, URI baseUri, Path log) {
        this.kind = kind;
        this.process = process;
        this.baseUri = baseUri;
        this.log = log;
    }

    /** Starts the service against these downstreams and waits until it prints the URL it listens on. */
    static ServiceProcess start(Kind kind, Map<Part, URI> downstreams, Path dir) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        switch (kind) {
            case JAVA -> {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(JAVA_OPTIONS);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), JAVA_MAIN));
            }
            case GO -> command.add(buildGo(dir).toString());
        }
        command.addAll(List.of("--port", "0"));
        for (Part part : Part.values()) {
            command.addAll(List.of("--" + part.label(), downstreams.get(part).toString()));
        }
        String shown = String.join(" ", command)
                .replace(System.getProperty("java.class.path"), "<the lab's classpath>");
        String hint = kind == Kind.JAVA ? "\n(without -Psolutions the lab runs YOUR service: it needs 06.2-06.9"
                + " solved; add -Psolutions to run the reference)" : "";
        Path log = dir.resolve("service-" + kind.label + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = URL.matcher(Files.readString(log));
            if (m.find()) {
                return new ServiceProcess(kind, process, URI.create("http://" + m.group(1) + ":" + m.group(2)), log);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + kind.label + " service ended (exit " + process.exitValue()
                        + ") before it printed its URL: " + shown + "\n" + tail(log) + hint);
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the " + kind.label + " service printed no URL in " + STARTUP.toSeconds()
                + " s: " + shown + "\n" + tail(log) + hint);
    }

    /** Builds the Go twin into {@code dir} ({@code go} must be on the PATH). */
    static Path buildGo(Path dir) throws IOException, InterruptedException {
        Path source = Path.of("lab", "go", "aggregation");
        Path binary = dir.resolve("aggregation-go").toAbsolutePath();
        Process go = new ProcessBuilder("go", "build", "-o", binary.toString(), ".").directory(source.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("go-build.log").toFile()).start();
        if (!go.waitFor(120, TimeUnit.SECONDS) || go.exitValue() != 0) {
            go.destroyForcibly();
            throw new IllegalStateException("go build failed in " + source + ": " + tail(dir.resolve("go-build.log")));
        }
        return binary;
    }

    /** The CPU time the service's process has used so far, zero if unknown. */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    URI baseUri() {
        return baseUri;
    }

    Kind kind() {
        return kind;
    }

    Path log() {
        return log;
    }

    /**
     * The service's threads at one moment.
     *
     * @param os         the process's OS threads (/proc: JIT, GC and carriers included), -1 if unknown
     * @param platform   the Java service's live platform threads (its thread dump), -1 for Go or if unknown
     * @param virtual    the Java service's live virtual threads (its thread dump, {@code jcmd Thread.dump_to_file});
     *                   for Go, its goroutines ({@code runtime.NumGoroutine()}); -1 if unknown
     * @param goroutines for Go, its goroutines once its idle connections to the downstreams are closed (each has two,
     *                   its read and write loops); -1 for Java
     */
    record Threads(long os, long platform, long virtual, long goroutines) {
        @Override
        public String toString() {
            return goroutines >= 0 ? "%d OS, %d goroutines (%d w/o idle conns)".formatted(os, virtual, goroutines)
                    : "%d OS, %d platform, %d virtual".formatted(os, platform, virtual);
        }
    }

    /** Counts the service's threads (a thread dump of the Java service, a goroutine count of the Go one). */
    Threads threads(Path dir, String name) {
        long os = osThreads().orElse(-1);
        try {
            if (kind == Kind.GO) {
                try (HttpClient client = HttpClient.newHttpClient()) {
                    String body = client.send(HttpRequest.newBuilder(URI.create(baseUri + "/debug/goroutines"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                    String[] counts = body.trim().split("\\s+");
                    return new Threads(os, -1, Long.parseLong(counts[0]), Long.parseLong(counts[1]));
                }
            }
            Path dump = dir.resolve(name + ".json").toAbsolutePath();
            Files.deleteIfExists(dump);
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.dump_to_file", "-format=json", dump.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS) || !Files.exists(dump)) {
                jcmd.destroyForcibly();
                return new Threads(os, -1, -1, -1);
            }
            String json = Files.readString(dump);
            long all = count(json, "\"tid\"");
            long virtual = count(json, "\"virtual\": true");
            return new Threads(os, all - virtual, virtual, -1);
        } catch (IOException | RuntimeException e) {
            return new Threads(os, -1, -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Threads(os, -1, -1, -1);
        }
    }

    /** Saves the service's {@code GET /metrics} into {@code file}, if it serves one (the Go twin does not). */
    void saveMetrics(Path file) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            var response = client.send(HttpRequest.newBuilder(URI.create(baseUri + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                Files.writeString(file, response.body());
            }
        } catch (IOException e) {
            // no metrics this time: the table does not need them
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private OptionalLong osThreads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    return OptionalLong.of(Long.parseLong(line.substring("Threads:".length()).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }

    private static long count(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the service as a shutdown would (SIGTERM), then kills it if it is still there after 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
