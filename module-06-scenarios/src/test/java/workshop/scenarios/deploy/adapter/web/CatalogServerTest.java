package workshop.scenarios.deploy.adapter.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.deploy.application.Lookup;
import workshop.scenarios.deploy.domain.Item;
import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.support.testing.Background;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;

@Tag("machinery")
@DisplayName("The catalog's web adapter")
class CatalogServerTest {

    private final AtomicBoolean ready = new AtomicBoolean();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newHttpClient();
    private CatalogServer server;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        if (server != null) {
            server.close();
        }
        client.close();
    }

    private void start(Function<String, Lookup> items) throws IOException {
        server = CatalogServer.start(InetAddress.getLoopbackAddress(), 0, "v3", ready::get, items, Duration.ZERO);
    }

    /** A lookup that holds each request until the test releases it (interruptible), then finds the item. */
    private Lookup held(String id) {
        entered.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lookup.NOT_READY;
        }
        return new Lookup.Found(new Item(id, "Held " + id));
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).method(method,
                HttpRequest.BodyPublishers.noBody()).timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(PATIENCE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean refused() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Test
    @DisplayName("answers /live, /ready and /items by the cache's lookup, each with the version header")
    void routes() throws Exception {
        start(id -> switch (id) {
            case "cold" -> Lookup.NOT_READY;
            case "known" -> new Lookup.Found(new Item("known", "A \"known\" item"));
            default -> new Lookup.Unknown(id);
        });
        assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> live = send("GET", "/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue(ServiceContract.VERSION_HEADER)).contains("v3");
        assertThat(send("GET", "/ready").statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(send("GET", "/ready").statusCode()).isEqualTo(200);

        HttpResponse<String> cold = send("GET", "/items/cold");
        assertThat(cold.statusCode()).isEqualTo(503);
        assertThat(cold.headers().firstValue("Retry-After")).contains("1");
        HttpResponse<String> known = send("GET", "/items/known");
        assertThat(known.statusCode()).isEqualTo(200);
        assertThat(known.body()).isEqualTo("{\"id\":\"known\",\"title\":\"A \\\"known\\\" item\"}\n");
        assertThat(known.headers().firstValue(ServiceContract.VERSION_HEADER)).contains("v3");
        assertThat(send("GET", "/items/nothing").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/items/not%20an%20id").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/livez").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/live");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue(ServiceContract.VERSION_HEADER)).contains("v3");
    }

    @Test
    @DisplayName("shutdown() refuses new connections at once and lets a request in flight finish: drained")
    void drains() throws Exception {
        start(this::held);
        CompletableFuture<HttpResponse<String>> inFlight = sendAsync("/items/slow");
        assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Background<Boolean> shutdown = Background.call("shutdown(5 s)", () -> server.shutdown(Duration.ofSeconds(5)));
        await("a new connection is refused once shutdown() began").atMost(PATIENCE).until(this::refused);
        assertThat(shutdown.isDone()).as("shutdown() waits for the request in flight").isFalse();
        release.countDown();
        assertThat(shutdown.await(PATIENCE)).as("drained in time").isTrue();
        assertThat(inFlight.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("shutdown() cuts a request still running at the drain timeout, interrupts it, and says so")
    void cutsAtTheDeadline() throws Exception {
        start(this::held);
        CompletableFuture<HttpResponse<String>> stuck = sendAsync("/items/stuck");
        assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        long start = System.nanoTime();
        boolean drained = server.shutdown(Duration.ofMillis(200)); // rounded up to 1 s: stop() takes seconds
        assertThat(drained).as("a stuck request was cut").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> stuck.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }
}
