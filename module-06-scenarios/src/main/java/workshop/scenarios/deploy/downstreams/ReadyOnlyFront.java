package workshop.scenarios.deploy.downstreams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import workshop.scenarios.deploy.domain.ServiceContract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A front for the instances of a service, on loopback, as a Kubernetes Service with its endpoints: it forwards each
 * {@code GET} to one backend, round robin, among the backends that its readiness probes ({@code GET /ready} every
 * {@code probeEvery}, Kubernetes' rules: see {@link #start}) find ready, each on a connection of its own; it never
 * retries (kube-proxy does not either). With {@link Routing#ALL} it ignores readiness and routes to every registered
 * backend: the "no readiness" case of the lab.
 *
 * <p>The platform registers a backend once it listens and deregisters it once it has exited (Kubernetes: a pod is in
 * the endpoints' list, ready or not, while it exists). Answers of its own: 503 when no backend is routable, 502 when
 * the chosen backend failed (refused, reset, no answer within 5 s); both carry the header {@value #FRONT_ERROR}.
 *
 * <p>Thread safety: every method may be called from any thread. {@link #close()} stops the server and the prober and
 * returns when both have ended.
 */
public final class ReadyOnlyFront implements AutoCloseable {

    /** Which backends a request may go to. */
    public enum Routing {
        /** Only those whose last readiness probe answered 200 (the safeguard). */
        READY_ONLY,
        /** Every registered backend, ready or not (the safeguard removed). */
        ALL
    }

    /** What the front has done so far. */
    public record Counts(int forwarded, int noBackend, int backendFailed) {
    }

    /** The header on the front's own answers (502, 503), saying why. */
    public static final String FRONT_ERROR = "X-Front-Error";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final Routing routing;
    private final Duration probeEvery;
    private final int failureThreshold;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final List<URI> registered = new CopyOnWriteArrayList<>();
    private final Set<URI> ready = ConcurrentHashMap.newKeySet();
    private final Map<URI, Integer> failuresInARow = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger noBackend = new AtomicInteger();
    private final AtomicInteger backendFailed = new AtomicInteger();
    private final Thread prober;

    private ReadyOnlyFront(Routing routing, Duration probeEvery, int failureThreshold) throws IOException {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.probeEvery = Objects.requireNonNull(probeEvery, "probeEvery");
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1: " + failureThreshold);
        }
        this.failureThreshold = failureThreshold;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(handlers);
        server.createContext("/", this::forward);
        server.start();
        prober = Thread.ofVirtual().name("front-prober").start(this::probeLoop);
    }

    /**
     * Starts a front on an ephemeral loopback port that probes its backends every {@code probeEvery} (Kubernetes'
     * {@code periodSeconds}, 10 s by default; here about 100 ms), each probe within 1 s ({@code timeoutSeconds}), and
     * takes a backend out after {@code failureThreshold} failed probes in a row ({@code failureThreshold}, 3 by
     * default: one slow probe on a busy machine must not empty the front), back in after one success.
     */
    public static ReadyOnlyFront start(Routing routing, Duration probeEvery, int failureThreshold)
            throws IOException {
        return new ReadyOnlyFront(routing, probeEvery, failureThreshold);
    }

    /** Where clients send their requests: {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
    }

    /** Adds a backend (its base URI, e.g. {@code http://127.0.0.1:40123}); routable once a probe finds it ready. */
    public void register(URI backend) {
        registered.add(Objects.requireNonNull(backend, "backend"));
    }

    /** Removes a backend: no request goes to it after this returns. */
    public void deregister(URI backend) {
        registered.remove(backend);
        ready.remove(backend);
        failuresInARow.remove(backend);
    }

    /** The backends whose last probe answered ready. */
    public Set<URI> ready() {
        return Set.copyOf(ready);
    }

    /** What the front has done so far. */
    public Counts counts() {
        return new Counts(forwarded.get(), noBackend.get(), backendFailed.get());
    }

    private void probeLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            List<URI> round = List.copyOf(registered);
            List<Thread> probes = new ArrayList<>();
            for (URI backend : round) { // in parallel: a slow backend must not delay the verdict on the others
                probes.add(Thread.ofVirtual().name("front-probe").start(() -> judge(backend, probe(backend))));
            }
            try {
                for (Thread probe : probes) {
                    probe.join();
                }
                Thread.sleep(probeEvery);
            } catch (InterruptedException e) {
                probes.forEach(Thread::interrupt);
                return;
            }
        }
    }

    /** Ready after one success, not ready after {@code failureThreshold} failures in a row (Kubernetes' rule). */
    private void judge(URI backend, boolean answeredReady) {
        if (answeredReady) {
            failuresInARow.put(backend, 0);
            if (registered.contains(backend)) {
                ready.add(backend);
            }
        } else if (failuresInARow.merge(backend, 1, Integer::sum) >= failureThreshold) {
            ready.remove(backend);
        }
    }

    private boolean probe(URI backend) {
        HttpRequest request = HttpRequest.newBuilder(backend.resolve(ServiceContract.READY_PATH))
                .timeout(PROBE_TIMEOUT).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<URI> targets = routing == Routing.ALL ? List.copyOf(registered) : List.copyOf(ready);
            if (targets.isEmpty()) {
                noBackend.incrementAndGet();
                answer(exchange, 503, "no ready backend");
                return;
            }
            URI backend = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
            Forwarded response;
            try {
                response = Forwarded.get(backend, exchange.getRequestURI().toString(), REQUEST_TIMEOUT);
            } catch (IOException e) {
                backendFailed.incrementAndGet();
                answer(exchange, 502, "backend " + backend + " failed: " + e);
                return;
            }
            forwarded.incrementAndGet();
            response.headers().forEach((name, value) -> {
                if (name.equalsIgnoreCase(ServiceContract.VERSION_HEADER) || name.equalsIgnoreCase("Content-Type")) {
                    exchange.getResponseHeaders().set(name, value);
                }
            });
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /**
     * One forwarded request, on a connection of its own ({@code Connection: close}): as kube-proxy balances
     * connections, each new one goes to a backend chosen then, and a backend that no longer accepts refuses it. (A
     * pool of kept-alive connections would hide that: a JDK {@code HttpServer} that has stopped accepting still
     * serves new requests on the connections it has while it drains.) No retry.
     */
    private record Forwarded(int status, Map<String, String> headers, byte[] body) {

        static Forwarded get(URI backend, String pathAndQuery, Duration timeout) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(backend.getHost(), backend.getPort()), 3000); // refused is at once
                socket.setSoTimeout((int) timeout.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + backend.getHost() + ":" + backend.getPort()
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                byte[] raw = socket.getInputStream().readAllBytes();
                String text = new String(raw, StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0 || !text.startsWith("HTTP/1.")) {
                    throw new IOException("no complete HTTP response (" + raw.length + " bytes)");
                }
                String[] lines = text.substring(0, end).split("\r\n");
                int status = Integer.parseInt(lines[0].split(" ")[1]);
                Map<String, String> headers = new LinkedHashMap<>();
                long length = -1;
                boolean chunked = false;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    String name = lines[i].substring(0, colon).trim();
                    String value = lines[i].substring(colon + 1).trim();
                    headers.put(name, value);
                    length = name.equalsIgnoreCase("Content-Length") ? Long.parseLong(value) : length;
                    chunked |= name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked");
                }
                byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
                if (chunked) {
                    body = dechunk(body);
                } else if (length >= 0 && body.length != length) {
                    throw new IOException("response cut: " + body.length + " of " + length + " bytes");
                }
                return new Forwarded(status, headers, body);
            }
        }

        private static byte[] dechunk(byte[] chunked) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = 0;
            while (true) {
                int lineEnd = indexOfCrLf(chunked, at);
                if (lineEnd < 0) {
                    throw new IOException("response cut in a chunk header");
                }
                String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0];
                int size = Integer.parseInt(sizeText.trim(), 16);
                at = lineEnd + 2;
                if (size == 0) {
                    return body.toByteArray();
                }
                if (at + size > chunked.length) {
                    throw new IOException("response cut in a chunk");
                }
                body.write(chunked, at, size);
                at += size + 2;
            }
        }

        private static int indexOfCrLf(byte[] bytes, int from) {
            for (int i = from; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    private static void answer(HttpExchange exchange, int status, String why) throws IOException {
        exchange.getResponseHeaders().set(FRONT_ERROR, why.replaceAll("[\\r\\n]", " "));
        byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops the prober and the server (in-flight requests get a second), and waits for both. */
    @Override
    public void close() throws InterruptedException {
        prober.interrupt();
        server.stop(1);
        handlers.close();
        prober.join();
        client.close();
    }
}
