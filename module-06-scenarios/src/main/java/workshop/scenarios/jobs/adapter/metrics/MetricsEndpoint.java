package workshop.scenarios.jobs.adapter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} on loopback, in Prometheus' text format: what a Prometheus server (or {@code curl}) scrapes.
 * A JDK {@code HttpServer} with a virtual thread per exchange (Go: {@code http.Handle("/metrics", promhttp.Handler())}
 * on its own port). {@link #close()} stops it; when it returns, none of its threads runs any more.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI uri;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        InetSocketAddress address = server.getAddress();
        this.uri = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort()
                + "/metrics");
    }

    /**
     * Serves {@code scrape}'s text at {@code GET /metrics} on loopback port {@code port} (0: any free port).
     *
     * @throws IOException if the port cannot be bound (in use?)
     */
    public static MetricsEndpoint start(int port, Supplier<String> scrape) throws IOException {
        Objects.requireNonNull(scrape, "scrape");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("metrics-", 0)
                .factory());
        server.createContext("/", exchange -> handle(exchange, scrape));
        server.setExecutor(executor);
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    private static void handle(HttpExchange exchange, Supplier<String> scrape) throws IOException {
        try (exchange) {
            int status;
            String body;
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                status = 404;
                body = "GET /metrics\n";
            } else if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                status = 405;
                body = "GET only\n";
            } else {
                status = 200;
                body = scrape.get();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status == 200
                    ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Where it serves, such as {@code http://127.0.0.1:9090/metrics}. */
    public URI uri() {
        return uri;
    }

    /** Stops listening and waits for scrapes in flight to end. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
