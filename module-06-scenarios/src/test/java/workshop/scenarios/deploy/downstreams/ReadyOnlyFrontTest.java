package workshop.scenarios.deploy.downstreams;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.scenarios.deploy.downstreams.ReadyOnlyFront.Routing;
import workshop.support.TimeLimit;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("machinery")
@DisplayName("The ready-only front")
@TimeLimit(seconds = 30) // a few dozen calls over loopback and probes 50 ms apart: seconds on a loaded 2-core machine
class ReadyOnlyFrontTest {

    private final List<HttpServer> backends = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stopTheBackends() {
        backends.forEach(server -> server.stop(0));
        client.close();
    }

    /** A backend that answers /ready with {@code readyStatus} and anything else 200 with its name as the version. */
    private URI backend(String name, int readyStatus) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean probe = exchange.getRequestURI().getPath().equals(ServiceContract.READY_PATH);
                int status = probe ? readyStatus : 200;
                byte[] body = (probe ? "" : "item from " + name + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set(ServiceContract.VERSION_HEADER, name);
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        server.start();
        backends.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private HttpResponse<String> get(ReadyOnlyFront front) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(front.uri().resolve("/items/item-1")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("routes only to ready backends, round robin, and answers 503 when none is ready")
    void routesOnlyToReadyBackends() throws Exception {
        try (ReadyOnlyFront front = ReadyOnlyFront.start(Routing.READY_ONLY, Duration.ofMillis(50), 1)) {
            assertThat(get(front).statusCode()).as("no backend yet").isEqualTo(503);
            URI a = backend("a", 200);
            URI b = backend("b", 200);
            URI cold = backend("cold", 503);
            front.register(a);
            front.register(b);
            front.register(cold);
            await().atMost(Duration.ofSeconds(10)).until(() -> front.ready().equals(Set.of(a, b)));

            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = get(front);
                assertThat(response.statusCode()).isEqualTo(200);
                versions.add(response.headers().firstValue(ServiceContract.VERSION_HEADER).orElseThrow());
            }
            assertThat(versions).as("round robin over the ready ones").containsOnly("a", "b")
                    .filteredOn("a"::equals).hasSize(3);

            front.deregister(a);
            assertThat(get(front).headers().firstValue(ServiceContract.VERSION_HEADER)).contains("b");
            front.deregister(b);
            HttpResponse<String> none = get(front);
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.headers().firstValue(ReadyOnlyFront.FRONT_ERROR)).isPresent();
            assertThat(front.counts().noBackend()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("with Routing.ALL routes to cold backends too, and answers 502 for one that refuses")
    void routesToAllWithoutReadiness() throws Exception {
        try (ReadyOnlyFront front = ReadyOnlyFront.start(Routing.ALL, Duration.ofMillis(50), 1)) {
            URI cold = backend("cold", 503);
            front.register(cold);
            assertThat(get(front).headers().firstValue(ServiceContract.VERSION_HEADER)).contains("cold");
            backends.getFirst().stop(0);
            HttpResponse<String> refused = get(front);
            assertThat(refused.statusCode()).isEqualTo(502);
            assertThat(front.counts().backendFailed()).isEqualTo(1);
        }
    }
}
