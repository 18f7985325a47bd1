package workshop.patterns.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Code shaped for tests: a port the code owns, its adapter injected through the constructor, a fake for the test,
 * and Go's {@code httptest.NewServer} as a JDK {@link HttpServer} on port 0.
 */
public final class Testable {

    private Testable() {
    }

    // tag::port[]
    /** The port: declared by the code that uses it, as small as that code needs (Go: accept interfaces). */
    interface Prices {
        long cents(String sku) throws IOException;
    }

    /** Everything it depends on comes in through the constructor: no static state, no hidden clock. */
    record Quote(Prices prices, InstantSource clock) {
        String quote(String sku) throws IOException {
            return sku + " costs " + prices.cents(sku) + " cents at " + clock.instant();
        }
    }
    // end::port[]

    // tag::adapter[]
    /** The production adapter: calls a pricing service over HTTP. */
    record HttpPrices(HttpClient client, URI base) implements Prices {
        @Override
        public long cents(String sku) throws IOException {
            var request = HttpRequest.newBuilder(base.resolve("/price/" + sku)).build();
            try {
                return Long.parseLong(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
    // end::adapter[]

    // tag::fake-server[]
    static void againstAFakeServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/price/", exchange -> {              // httptest.NewServer(handler)
            byte[] body = "1299".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort()); // the port the OS chose
            Instant fixed = Instant.parse("2026-12-03T10:00:00Z");
            var quote = new Quote(new HttpPrices(client, base), () -> fixed);
            System.out.println("port " + server.getAddress().getPort() + ": " + quote.quote("sku-1"));
        } finally {
            server.stop(0);                                         // defer srv.Close()
        }
    }
    // end::fake-server[]

    // tag::fake[]
    static void againstAFake() throws IOException {
        Map<String, Long> table = Map.of("sku-1", 1299L);
        Prices fake = sku -> {                                      // a fake: a working, simple implementation
            Long cents = table.get(sku);
            if (cents == null) {
                throw new IOException("no price for " + sku);
            }
            return cents;
        };
        var quote = new Quote(fake, () -> Instant.EPOCH);
        System.out.println(quote.quote("sku-1"));
    }
    // end::fake[]

    public static void main(String[] args) throws IOException {
        againstAFake();
        long t0 = System.nanoTime();
        againstAFakeServer();
        System.out.printf("server on port 0, one request, stopped: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
}
