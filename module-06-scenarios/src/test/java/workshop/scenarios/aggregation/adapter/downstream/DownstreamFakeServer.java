package workshop.scenarios.aggregation.adapter.downstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A downstream for 06.4's tests: the JDK's {@link HttpServer} on loopback, port 0, answering every request with the
 * status and body the test scripted, optionally holding the answer on a latch. It counts requests, the distinct
 * remote ports they came from (one per connection the client opened) and the answers it wrote.
 */
final class DownstreamFakeServer implements AutoCloseable {

    /** A held answer: {@link #arrived} when a request is waiting on it, {@link #release()} to let it answer. */
    static final class Hold {
        final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        void release() {
            release.countDown();
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "";
    private volatile Hold hold;

    private DownstreamFakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    static DownstreamFakeServer start() throws IOException {
        return new DownstreamFakeServer();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            remotePorts.add(exchange.getRemoteAddress().getPort());
            requestLines.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestBody().readAllBytes();
            Hold held = hold;
            if (held != null) {
                held.arrived.countDown();
                try {
                    held.release.await();
                } catch (InterruptedException e) {
                    return;
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type",
                    status == 200 ? "application/json" : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            answered.incrementAndGet();
        } catch (IOException clientGone) {
            // the client closed the connection before the answer: nothing to do
        }
    }

    /** The base URI of the server, such as {@code http://127.0.0.1:40123}. */
    URI base() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
    }

    /** Every request from now on gets this status and body. */
    DownstreamFakeServer answer(int status, String body) {
        this.status = status;
        this.body = body;
        return this;
    }

    /** Every request from now on waits for the returned hold's release before it answers. */
    Hold holdAnswers() {
        Hold held = new Hold();
        hold = held;
        return held;
    }

    int requests() {
        return requests.get();
    }

    int answered() {
        return answered.get();
    }

    /** How many connections the requests came on (distinct remote ports). */
    int connections() {
        return remotePorts.size();
    }

    /** Each request's method and path, such as {@code GET /inventory/p-1}. */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** Releases any held answer, stops the server and waits for its handlers. */
    @Override
    public void close() {
        Hold held = hold;
        if (held != null) {
            held.release();
        }
        server.stop(0);
        handlers.close();
    }
}
