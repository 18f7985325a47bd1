package workshop.scenarios.deploy.lab;

import workshop.scenarios.deploy.application.Instance;
import workshop.scenarios.deploy.application.Platform;
import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.scenarios.deploy.downstreams.ReadyOnlyFront;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's platform: each instance is the catalog service ({@code deploy.Main}) in a process of its own, this JVM's
 * {@code java} and classpath, its output in a file; registered with the front once it listens, deregistered once it
 * has ended. {@link #close()} kills whatever still runs (a shutdown hook too).
 */
final class ProcessPlatform implements Platform, AutoCloseable {

    private static final String MAIN = "workshop.scenarios.deploy.Main";
    private static final Duration LISTENING_WITHIN = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private final Path directory;
    private final ReadyOnlyFront front;
    private final List<String> options;
    private final Map<String, Integer> started = new ConcurrentHashMap<>();
    private final List<ProcessInstance> instances = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PROBE_TIMEOUT).build();
    private final Thread reaper = new Thread(this::killAll, "deploy-lab-reaper");

    ProcessPlatform(Path directory, ReadyOnlyFront front, List<String> options) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.front = front;
        this.options = List.copyOf(options);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    @Override
    public Instance start(String version) throws InterruptedException {
        int n = started.merge(version, 1, Integer::sum);
        String name = version + "#" + n;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "--enable-preview", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), MAIN, "--port", "0", "--version", version));
        command.addAll(options);
        Path output = directory.resolve("catalog-" + name.replace('#', '-') + "-" + System.nanoTime() + ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessInstance instance = new ProcessInstance(version, name, process, output);
        instances.add(instance);
        Pattern listening = Pattern.compile("catalog " + Pattern.quote(version) + " listening on (http://\\S+)");
        long deadline = System.nanoTime() + LISTENING_WITHIN.toNanos();
        while (true) {
            Matcher match = listening.matcher(instance.output());
            if (match.find()) {
                instance.uri = URI.create(match.group(1));
                front.register(instance.uri);
                return instance;
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not listen: " + instance.output());
            }
            Thread.sleep(20); // another process: its output is all there is to wait on
        }
    }

    @Override
    public void close() {
        killAll();
        client.close();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void killAll() {
        for (ProcessInstance instance : instances) {
            instance.process.destroyForcibly();
        }
    }

    /** One instance: a process and its base URI. */
    final class ProcessInstance implements Instance {
        private final String version;
        private final String name;
        private final Process process;
        private final Path output;
        private volatile URI uri;

        ProcessInstance(String version, String name, Process process, Path output) {
            this.version = version;
            this.name = name;
            this.process = process;
            this.output = output;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public String name() {
            return name + " (pid " + process.pid() + ")";
        }

        @Override
        public boolean ready() throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(uri.resolve(ServiceContract.READY_PATH))
                    .timeout(PROBE_TIMEOUT).GET().build();
            try {
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean exited() {
            return !process.isAlive();
        }

        @Override
        public void stop(Duration grace) throws InterruptedException {
            process.destroy();
            try {
                if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } finally {
                front.deregister(uri);
            }
        }

        String output() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }
    }
}
