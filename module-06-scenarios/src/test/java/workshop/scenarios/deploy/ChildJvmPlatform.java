package workshop.scenarios.deploy;

import workshop.scenarios.deploy.application.Instance;
import workshop.scenarios.deploy.application.Platform;
import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.scenarios.deploy.downstreams.ReadyOnlyFront;
import workshop.scenarios.testing.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform of the end-to-end test: each instance is {@link Main} in a child JVM ({@link ChildJvm}), registered with
 * the front once it listens and deregistered once it has ended. {@link #close()} kills whatever still runs.
 */
final class ChildJvmPlatform implements Platform, AutoCloseable {

    private static final Duration LISTENING_WITHIN = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private final Path directory;
    private final ReadyOnlyFront front;
    private final List<String> options;
    private final Map<String, List<String>> extraOptions = new ConcurrentHashMap<>();
    private final Map<String, Integer> started = new ConcurrentHashMap<>();
    private final List<ChildInstance> instances = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PROBE_TIMEOUT).build();

    /**
     * @param options the service's options for every version, e.g. {@code --warm-up-ms 1000}
     */
    ChildJvmPlatform(Path directory, ReadyOnlyFront front, List<String> options) {
        this.directory = directory;
        this.front = front;
        this.options = List.copyOf(options);
    }

    /** Options for one version only, after the common ones (a later option wins). */
    void options(String version, List<String> more) {
        extraOptions.put(version, List.copyOf(more));
    }

    @Override
    public Instance start(String version) throws InterruptedException {
        int n = started.merge(version, 1, Integer::sum);
        List<String> arguments = new ArrayList<>(List.of("--port", "0", "--version", version));
        arguments.addAll(options);
        arguments.addAll(extraOptions.getOrDefault(version, List.of()));
        ChildJvm child;
        try {
            child = ChildJvm.start("catalog " + version + "#" + n, directory, List.of("-Xmx96m"),
                    Main.class.getName(), arguments);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildInstance instance = new ChildInstance(version, version + "#" + n, child);
        instances.add(instance);
        Matcher listening = child.awaitLine(Pattern.compile("catalog " + Pattern.quote(version)
                + " listening on (http://\\S+)"), LISTENING_WITHIN);
        instance.uri = URI.create(listening.group(1));
        front.register(instance.uri);
        return instance;
    }

    /** Every instance started so far, in order. */
    List<ChildInstance> instances() {
        return List.copyOf(instances);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            for (ChildInstance instance : instances) {
                instance.child.close();
            }
        } finally {
            client.close();
        }
    }

    /** One instance: a child JVM and its base URI. */
    final class ChildInstance implements Instance {
        final String version;
        final String name;
        final ChildJvm child;
        volatile URI uri;
        volatile Optional<Integer> exitCode = Optional.empty();

        ChildInstance(String version, String name, ChildJvm child) {
            this.version = version;
            this.name = name;
            this.child = child;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public String name() {
            return name + " (pid " + child.pid() + ")";
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
            return !child.isAlive();
        }

        @Override
        public void stop(Duration grace) throws InterruptedException {
            child.terminate();
            try {
                exitCode = child.awaitExit(grace);
                if (exitCode.isEmpty()) {
                    child.kill();
                }
            } finally {
                front.deregister(uri);
            }
        }

        String describe() {
            return child.describe();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
