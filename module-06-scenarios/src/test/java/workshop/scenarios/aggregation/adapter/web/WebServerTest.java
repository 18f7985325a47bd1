package workshop.scenarios.aggregation.adapter.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The given server around the learner's watch (06.6): keep-alive, strict parsing, request ids, Connection: close,
 * bodies, failures and a graceful close. Each test needs a working watch (the server requires one here).
 */
@Tag("06.6")
@DisplayName("06.6 When the client goes away")
class WebServerTest {

    private WebWatchedServer fixture;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        fixture = new WebWatchedServer(WebServer.Options.defaults().withGrace(Duration.ofSeconds(5)));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.shutdownNow();
        client.close();
        fixture.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.server.uri().resolve(path))
                .timeout(WebWatchedServer.PROMPTLY);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        fixture.rethrowWatchFailure();
        return response;
    }

    @Test
    @DisplayName("one connection serves request after request (keep-alive), each with its own request id")
    void keepAlive() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/products/p-" + i);
            assertThat(response.statusCode()).as("[06.6] status of request %d", i).isEqualTo(200);
            assertThat(response.body()).as("[06.6] body of request %d", i).isEqualTo("GET /products/p-" + i);
            ids.add(response.headers().firstValue("X-Request-Id").orElseThrow());
        }
        assertThat(ids).as("[06.6] request ids made by the server").hasSize(5);
        assertThat(fixture.server.openConnections()).as("[06.6] connections for five requests in a row")
                .isEqualTo(1);
    }

    @Test
    @DisplayName("a valid X-Request-Id is kept, an invalid one replaced")
    void requestIds() throws Exception {
        assertThat(get("/products/p-1", "X-Request-Id", "abc-123").headers().firstValue("X-Request-Id"))
                .as("[06.6] a valid request id comes back").hasValue("abc-123");
        assertThat(get("/products/p-1", "X-Request-Id", "no spaces allowed").headers().firstValue("X-Request-Id"))
                .as("[06.6] an invalid request id is replaced")
                .hasValueSatisfying(id -> assertThat(id).matches("[A-Za-z0-9._:-]{1,64}"));
    }

    @Test
    @DisplayName("a request the server cannot parse gets 400 and the connection is closed")
    void badRequest() throws Exception {
        try (WebRawConnection connection = new WebRawConnection(fixture.server)) {
            connection.send("NOT HTTP AT ALL\r\n\r\n");
            assertThat(connection.read().status()).as("[06.6] status for a malformed request line").isEqualTo(400);
            assertThat(connection.closedByServer()).as("[06.6] the connection after a 400").isTrue();
        }
        try (WebRawConnection connection = new WebRawConnection(fixture.server)) {
            connection.send("GET /products/p-1 HTTP/1.1\r\n\r\n");
            assertThat(connection.read().status()).as("[06.6] status for HTTP/1.1 without Host").isEqualTo(400);
        }
        assertThat(fixture.handled).as("[06.6] handler calls for malformed requests").hasValue(0);
        assertThat(get("/products/p-1").statusCode()).as("[06.6] a good request after bad ones").isEqualTo(200);
    }

    @Test
    @DisplayName("Connection: close is honoured, and a body is read and dropped before the next request")
    void connectionCloseAndBodies() throws Exception {
        try (WebRawConnection connection = new WebRawConnection(fixture.server)) {
            connection.send("POST /products/p-1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + WebRawConnection.get("/products/p-2", "Connection: close"));
            WebRawConnection.RawResponse first = connection.read();
            WebRawConnection.RawResponse second = connection.read();
            fixture.rethrowWatchFailure();
            assertThat(first.status()).as("[06.6] status of the request with a body").isEqualTo(200);
            assertThat(second.body()).as("[06.6] the request after a body").isEqualTo("GET /products/p-2");
            assertThat(second.header("Connection")).as("[06.6] Connection header of the last response")
                    .isEqualTo("close");
            assertThat(connection.closedByServer()).as("[06.6] the connection after Connection: close").isTrue();
        }
    }

    @Test
    @DisplayName("a handler that throws gets a 500, and the connection serves on")
    void failingHandler() throws Exception {
        assertThat(get("/boom").statusCode()).as("[06.6] status when the handler throws").isEqualTo(500);
        assertThat(get("/products/p-1").statusCode()).as("[06.6] status of the next request").isEqualTo(200);
    }

    @Test
    @DisplayName("close() lets a request in flight finish, then leaves no thread behind")
    void closeIsGraceful() throws Exception {
        try (WebRawConnection connection = new WebRawConnection(fixture.server)) {
            connection.send(WebRawConnection.get("/products/slow"));
            fixture.awaitUntil("[06.6] the slow handler never started", () -> fixture.slowStarted.getCount() == 0);
            Background<Void> closing = Background.run("[06.6] WebServer.close()", fixture.server::close);
            fixture.awaitUntil("[06.6] close() did not wait for the request in flight",
                    () -> !closing.isDone() || fixture.slowEnded.get());
            fixture.release.countDown();
            WebRawConnection.RawResponse response = connection.read();
            closing.await(WebWatchedServer.PROMPTLY);
            assertThat(response.status()).as("[06.6] the request in flight during close()").isEqualTo(200);
            assertThat(response.header("Connection")).as("[06.6] a response sent while closing").isEqualTo("close");
        }
        assertThat(fixture.server.threads()).as("[06.6] threads of the server alive after close(): a watch thread "
                + "that outlives its connection? A read that throws means the connection is gone: end the watch, do "
                + "not read again (README 06.6)").isEmpty();
        assertThat(fixture.slowInterrupted).as("[06.6] a request that finished within the grace was interrupted")
                .isFalse();
    }

    @Test
    @DisplayName("close() ends a request that outlives the grace period: its watch interrupts it")
    void closeEndsAStuckRequest() throws Exception {
        fixture.close(); // the default fixture has a grace of 5 s: use one of 100 ms
        fixture = new WebWatchedServer(WebServer.Options.defaults().withGrace(Duration.ofMillis(100)));
        try (WebRawConnection connection = new WebRawConnection(fixture.server)) {
            connection.send(WebRawConnection.get("/products/slow"));
            fixture.awaitUntil("[06.6] the slow handler never started", () -> fixture.slowStarted.getCount() == 0);
            fixture.server.close();
            assertThat(fixture.slowInterrupted).as("[06.6] the handler still running after the grace period")
                    .isTrue();
            assertThat(connection.closedByServer()).as("[06.6] its connection after close()").isTrue();
        }
        assertThat(fixture.server.threads()).as("[06.6] threads of the server alive after close(): a watch thread "
                + "that outlives its connection? A read that throws means the connection is gone: end the watch, do "
                + "not read again (README 06.6)").isEmpty();
    }
}
