package workshop.scenarios.deploy.adapter.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import workshop.scenarios.deploy.application.Lookup;
import workshop.scenarios.deploy.application.ServerPort;
import workshop.scenarios.deploy.domain.Item;
import workshop.scenarios.deploy.domain.ServiceContract;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The service's HTTP side (GIVEN code, not an exercise): the JDK's {@code com.sun.net.httpserver.HttpServer} on a
 * virtual thread per exchange, bound to the address given (loopback).
 *
 * <ul>
 *     <li>{@code GET /live}: 200 as long as the process serves HTTP (the liveness probe).</li>
 *     <li>{@code GET /ready}: 200 while {@code ready} says so, else 503 (the readiness probe).</li>
 *     <li>{@code GET /items/{id}}: asks the cache; while it is not warm, 503 with {@code Retry-After: 1} at once;
 *         else it takes {@code work} (the simulated cost of a request) and answers 200 with the item as JSON, or 404
 *         for an unknown item; 400 for an id that is not one.</li>
 *     <li>Any other path: 404; any other method: 405. Every response has the {@value ServiceContract#VERSION_HEADER}
 *         header.</li>
 * </ul>
 *
 * <p>{@link #shutdown} is {@code HttpServer.stop(n)}: it closes the listening socket at once (a new connection is
 * refused), closes idle keep-alive connections, waits until the exchanges in flight have finished or {@code n}
 * seconds have passed, then closes every connection. {@code stop} takes whole seconds, so a drain timeout is rounded
 * up to the next second. Exchanges still running after that are interrupted, and waited for; the drain was in time
 * if none was left.
 */
public final class CatalogServer implements ServerPort, AutoCloseable {

    /** How long handlers get to end after their exchanges completed (they only return). */
    private static final Duration HANDLERS_FINISHING = Duration.ofMillis(500);
    /** How long interrupted handlers get to end. */
    private static final Duration HANDLERS_EXIT = Duration.ofSeconds(2);

    private final HttpServer server;
    private final ExecutorService handlers;
    private final String version;
    private final BooleanSupplier ready;
    private final Function<String, Lookup> items;
    private final Duration work;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private CatalogServer(HttpServer server, ExecutorService handlers, String version, BooleanSupplier ready,
                          Function<String, Lookup> items, Duration work) {
        this.server = server;
        this.handlers = handlers;
        this.version = version;
        this.ready = ready;
        this.items = items;
        this.work = work;
    }

    /**
     * Starts a server: it answers {@code /live} when this returns.
     *
     * @param address where to listen: the loopback address
     * @param port    the port, 0 for any free one
     * @param version what the {@value ServiceContract#VERSION_HEADER} header says
     * @param ready   what {@code /ready} answers
     * @param items   the cache's lookup
     * @param work    how long each {@code GET /items/{id}} works before it answers
     */
    public static CatalogServer start(InetAddress address, int port, String version, BooleanSupplier ready,
                                      Function<String, Lookup> items, Duration work) throws IOException {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(items, "items");
        if (work.isNegative()) {
            throw new IllegalArgumentException("negative work: " + work);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        ExecutorService handlers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("catalog-http-", 0).factory());
        CatalogServer catalog = new CatalogServer(server, handlers, version, ready, items, work);
        server.setExecutor(handlers);
        server.createContext("/", catalog::handle);
        server.start();
        return catalog;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Its base URI, such as {@code http://127.0.0.1:43127}. */
    public URI uri() {
        String host = server.getAddress().getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Requests being handled now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public boolean shutdown(Duration drainTimeout) throws InterruptedException {
        if (!stopped.compareAndSet(false, true)) {
            throw new IllegalStateException("stopped already");
        }
        int seconds = drainTimeout.compareTo(Duration.ofSeconds(Integer.MAX_VALUE)) >= 0 ? Integer.MAX_VALUE
                : (int) (drainTimeout.toSeconds() + (drainTimeout.toNanosPart() > 0 ? 1 : 0)); // rounded up
        boolean drained = false;
        try {
            server.stop(seconds);
            // stop() has waited for the exchanges to complete (their responses sent): their handlers end right after
            handlers.shutdown();
            drained = handlers.awaitTermination(HANDLERS_FINISHING.toMillis(), TimeUnit.MILLISECONDS);
            return drained;
        } finally {
            if (!drained) {
                handlers.shutdownNow(); // interrupts the exchanges that outlived the drain
                if (!handlers.awaitTermination(HANDLERS_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.getLogger(CatalogServer.class.getName()).log(System.Logger.Level.WARNING,
                            "exchanges still running {0} after the drain", HANDLERS_EXIT);
                }
            }
        }
    }

    /**
     * Stops at once if not stopped yet: no drain. If the caller is interrupted meanwhile, the server is closed all the
     * same and the caller's interrupt status is set when this returns.
     */
    @Override
    public void close() {
        if (!stopped.get()) {
            try {
                shutdown(Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            exchange.getResponseHeaders().set(ServiceContract.VERSION_HEADER, version);
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "method not allowed\n");
            } else if (path.equals(ServiceContract.LIVE_PATH)) {
                send(exchange, 200, "live\n");
            } else if (path.equals(ServiceContract.READY_PATH)) {
                boolean isReady = ready.getAsBoolean();
                send(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n");
            } else if (path.startsWith(ServiceContract.ITEMS_PATH)) {
                item(exchange, path.substring(ServiceContract.ITEMS_PATH.length()));
            } else {
                send(exchange, 404, "no such path\n");
            }
        } catch (InterruptedException e) {
            // the server is closing after the drain: the connection is closed without an answer
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void item(HttpExchange exchange, String id) throws IOException, InterruptedException {
        if (!Item.isValidId(id)) {
            send(exchange, 400, "not an item id\n");
            return;
        }
        switch (items.apply(id)) {
            case Lookup.Found(Item item) -> {
                Thread.sleep(work);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                send(exchange, 200, "{\"id\":\"" + item.id() + "\",\"title\":\"" + json(item.title()) + "\"}\n");
            }
            case Lookup.Unknown unknown -> {
                Thread.sleep(work);
                send(exchange, 404, "no such item\n");
            }
            case Lookup.NotReady notReady -> {
                exchange.getResponseHeaders().set("Retry-After", "1");
                send(exchange, 503, "not ready\n");
            }
        }
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body0 = exchange.getResponseBody()) {
            body0.write(bytes);
        }
    }
}
