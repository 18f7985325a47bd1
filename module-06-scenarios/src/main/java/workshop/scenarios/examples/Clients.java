package workshop.scenarios.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * {@code java.net.http.HttpClient} against a loopback server that counts the connections it sees: one shared client
 * against a client per request, what a request's {@code timeout} covers, what an interrupt does to {@code send}, and
 * which protocol a default client asks for. {@link #main} prints what it measured.
 */
public final class Clients {

    private Clients() {
    }

    // tag::shared-client[]
    /** One per downstream, built once at start-up and shared by every request (Go: one http.Client, reused). */
    static HttpClient clientFor(String downstream) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)  // what the downstream speaks; the default asks for HTTP/2
                .connectTimeout(Duration.ofMillis(100)) // a new connection only; a reused one has no such wait
                .build();                               // closed at shutdown, with the service (close(): JDK 21+)
    }

    static HttpResponse<String> get(HttpClient client, URI uri, Duration callBudget)
            throws java.io.IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(callBudget)                    // per request: HttpTimeoutException when it passes
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()); // an interrupt cancels the exchange
    }
    // end::shared-client[]

    static final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    static final List<String> upgradeHeaders = new ArrayList<>();

    static void handle(HttpExchange exchange) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
        synchronized (upgradeHeaders) {
            upgradeHeaders.add(upgrade == null ? "-" : upgrade);
        }
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            switch (path) {
                case "/slow-headers" -> pause(2_000);                 // nothing at all for 2 s
                case "/slow-body" -> {                                // headers at once, the body 1 s later
                    exchange.sendResponseHeaders(200, body.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(body, 0, 2);
                    out.flush();
                    pause(1_000);
                    out.write(body, 2, body.length - 2);
                    return;
                }
                case "/50ms" -> pause(50);
                default -> { }
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long since(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", Clients::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        Duration budget = Duration.ofMillis(150);
        try (HttpClient shared = clientFor("inventory")) {
            long first = System.nanoTime();
            get(shared, base.resolve("/fast"), Duration.ofSeconds(10));
            System.out.println("first call of a new client in a new JVM: " + since(first) + " ms");
            first = System.nanoTime();
            get(shared, base.resolve("/fast"), Duration.ofSeconds(10));
            System.out.println("second call: " + since(first) + " ms");
            clientPorts.clear();
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                get(shared, base.resolve("/fast"), Duration.ofSeconds(5));
            }
            System.out.println("shared client, 20 calls one after another: connections " + clientPorts.size()
                    + ", " + since(start) + " ms in all");

            clientPorts.clear();
            start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                try (HttpClient perRequest = clientFor("inventory")) {
                    get(perRequest, base.resolve("/fast"), Duration.ofSeconds(5));
                }
            }
            System.out.println("a client per request, 20 calls: connections " + clientPorts.size() + ", "
                    + since(start) + " ms in all");

            clientPorts.clear();
            for (int round = 1; round <= 2; round++) {
                try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < 8; i++) {
                        calls.submit(() -> get(shared, base.resolve("/50ms"), Duration.ofSeconds(5)));
                    }
                }
                System.out.println("shared client, round " + round + " of 8 calls at once (50 ms each): connections "
                        + "so far " + clientPorts.size());
            }

            start = System.nanoTime();
            try {
                get(shared, base.resolve("/slow-headers"), budget);
            } catch (IOException e) {
                System.out.println("no answer for 2 s, timeout 150 ms: " + e.getClass().getSimpleName() + " after "
                        + since(start) + " ms");
            }
            start = System.nanoTime();
            try {
                HttpResponse<String> r = get(shared, base.resolve("/slow-body"), budget);
                System.out.println("headers at once, body after 1 s, timeout 150 ms: status " + r.statusCode()
                        + ", the whole body after " + since(start) + " ms");
            } catch (IOException e) {
                System.out.println("headers at once, body after 1 s, timeout 150 ms: " + e.getClass().getSimpleName()
                        + " after " + since(start) + " ms");
            }

            Thread caller = Thread.currentThread();
            Thread.ofVirtual().start(() -> {
                pause(100);
                caller.interrupt();
            });
            start = System.nanoTime();
            try {
                get(shared, base.resolve("/slow-headers"), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                System.out.println("send interrupted at 100 ms: InterruptedException after " + since(start) + " ms");
            }

            upgradeHeaders.clear();
            try (HttpClient byDefault = HttpClient.newHttpClient()) {
                HttpResponse<String> r = byDefault.send(HttpRequest.newBuilder(base.resolve("/fast")).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.println("a default client: Upgrade header sent " + upgradeHeaders + ", answered in "
                        + r.version());
            }
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).close();
        }
    }
}
