package workshop.scenarios.aggregation.adapter.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Patience;
import workshop.support.threads.StuckThreads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("06.6")
@DisplayName("06.6 When the client goes away")
class ConnectionWatchTest {

    private WebWatchedServer fixture;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        fixture = new WebWatchedServer();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.shutdownNow();
        client.close();
        fixture.close();
    }

    private URI uri(String path) {
        return fixture.server.uri().resolve(path);
    }

    private CompletableFuture<HttpResponse<String>> sendSlow() {
        return client.sendAsync(HttpRequest.newBuilder(uri("/products/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits until the slow handler runs and the watch's thread is blocked in its read: WAITING, as a read with no
     * time-out is (a watch that sleeps and polls is TIMED_WAITING: it fails here).
     */
    private void awaitSlowHandlerWatched() {
        fixture.awaitUntil("[06.6] the slow handler never started (README 06.6)",
                () -> fixture.slowStarted.getCount() == 0);
        fixture.awaitUntil("[06.6] no watch thread was alive while the handler ran: nothing reads the connection, so "
                + "nothing can tell that the client leaves; start the watch's thread with threads.newThread(...), "
                + "the factory the server gives (README 06.6)",
                () -> !fixture.watchThreads().isEmpty());
        long deadline = System.nanoTime() + Patience.seconds(5).toNanos();
        int timedWaiting = 0;
        while (true) {
            List<Thread> watches = fixture.watchThreads();
            if (!watches.isEmpty() && watches.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
                return;
            }
            timedWaiting += watches.stream().anyMatch(t -> t.getState() == Thread.State.TIMED_WAITING) ? 1 : 0;
            if (timedWaiting >= 20 || System.nanoTime() > deadline) {
                Thread watch = watches.isEmpty() ? null : watches.getFirst();
                throw new AssertionError("[06.6] while the handler runs, the watch's thread should be blocked in its "
                        + "read (WAITING, like a read with no time-out): it was "
                        + (watch == null ? "gone" : watch.getState()) + (timedWaiting > 0
                        ? ", a timed wait: sleeping and polling available()? Only a read sees the end of the stream"
                        : "") + " (README 06.6). "
                        + (watch == null ? "" : StuckThreads.report(watch.threadId())));
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    private void assertSlowHandlerCancelled(String how) {
        fixture.awaitUntil("[06.6] the client closed its connection (" + how + ") while the handler waited, and the "
                + "handler was not interrupted and did not end within " + WebWatchedServer.PROMPTLY.toSeconds()
                + " s (it would wait " + WebWatchedServer.FAKE_WAIT.toSeconds() + " s): the watch must see the end of "
                + "the stream and interrupt the handler's thread (README 06.6)", fixture.slowEnded::get);
        assertThat(fixture.slowInterrupted).as("[06.6] the handler ended; was it interrupted? (README 06.6)").isTrue();
        fixture.awaitUntil("[06.6] the server still had the connection open after its client went away and its "
                + "handler ended (README 06.6)", () -> fixture.server.openConnections() == 0);
        fixture.awaitUntil("[06.6] a watch thread outlived its connection: " + fixture.watchThreads()
                + " (README 06.6)", () -> fixture.watchThreads().isEmpty());
    }

    @Test
    @DisplayName("a client that cancels with cancel(true) gets its handler interrupted, and it ends")
    void cancelInterruptsTheHandler() {
        CompletableFuture<HttpResponse<String>> response = sendSlow();
        awaitSlowHandlerWatched();

        // HttpClient's sendAsync javadoc: with HTTP/1.1, cancel(true) "may cause the underlying connection to be
        // closed abruptly" (it does in JDK 25: the server reads the end of the stream at once; cancel(false) does not)
        response.cancel(true);

        assertSlowHandlerCancelled("sendAsync(...).cancel(true)");
    }

    @Test
    @DisplayName("a client shut down with shutdownNow() gets its handler interrupted too")
    void shutdownNowInterruptsTheHandler() {
        sendSlow();
        awaitSlowHandlerWatched();

        client.shutdownNow(); // closes its connections at once (close() would wait for the response)

        assertSlowHandlerCancelled("HttpClient.shutdownNow()");
    }

    @Test
    @DisplayName("a request that arrives while the handler runs (pipelined) is kept and answered after it")
    void aPipelinedRequestIsKept() throws IOException {
        try (WebRawConnection connection = new WebRawConnection(fixture.server)) {
            connection.send(WebRawConnection.get("/products/slow"));
            awaitSlowHandlerWatched();

            connection.send(WebRawConnection.get("/products/p-2")); // while the first handler still runs
            // Give the watch time to read those bytes: a watch thread ends once its read returned them.
            long deadline = System.nanoTime() + Patience.seconds(1).toNanos();
            while (!fixture.watchThreads().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            }
            assertThat(fixture.slowInterrupted).as("[06.6] the next request's bytes arrived and the running handler "
                    + "was interrupted: bytes mean the client is still there, only the end of the stream (or a "
                    + "reset) means it is gone (README 06.6)").isFalse();
            fixture.release.countDown();

            WebRawConnection.RawResponse first = connection.read();
            WebRawConnection.RawResponse second = connection.read();
            assertThat(first.status()).as("[06.6] the first response's status").isEqualTo(200);
            assertThat(second.status()).as("[06.6] the pipelined request got %d \"%s\": its bytes, read by the "
                    + "watch while the first handler ran, must stay for the server (ConnectionInput.fill() keeps "
                    + "them; read() consumes them) (README 06.6)", second.status(), second.body().strip())
                    .isEqualTo(200);
            assertThat(second.body()).as("[06.6] the pipelined request reached the handler as \"%s\": its first "
                    + "bytes were taken by the watch; they must stay for the server (ConnectionInput.fill() keeps "
                    + "them; read() consumes them) (README 06.6)", second.body())
                    .isEqualTo("GET /products/p-2");
        }
        assertThat(fixture.slowInterrupted).as("[06.6] the first handler was interrupted although its client stayed")
                .isFalse();
    }

    @Test
    @DisplayName("requests that end normally are never interrupted, not even after they ended (no late interrupt)")
    void noLateInterrupt() throws IOException {
        int requests = 20;
        for (int i = 0; i < requests; i++) {
            try (WebRawConnection connection = new WebRawConnection(fixture.server)) {
                connection.send(WebRawConnection.get("/products/p-" + i));
                assertThat(connection.read().status()).as("[06.6] status of request %d", i).isEqualTo(200);
            } // the client closes its connection after the answer: the stopped watch must not react
        }
        try (WebRawConnection connection = new WebRawConnection(fixture.server)) { // keep-alive: three in a row
            for (int i = 0; i < 3; i++) {
                connection.send(WebRawConnection.get("/products/k-" + i));
                assertThat(connection.read().status()).as("[06.6] status of request %d on one connection", i)
                        .isEqualTo(200);
            }
        }
        fixture.awaitUntil("[06.6] connections still open after their clients closed them",
                () -> fixture.server.openConnections() == 0);

        assertThat(fixture.server.strayInterrupts() + fixture.startedInterrupted.get())
                .as("[06.6] interrupts that landed on a connection's thread after its handler had ended normally "
                        + "(late interrupts: each would cancel whatever the thread does next, the next request on the "
                        + "connection): once stop() returns, the watch must never interrupt; decide \"stopped\" and "
                        + "\"gone\" under one lock (README 06.6)").isZero();
        assertThat(fixture.server.watchThreadsStarted()).as("[06.6] watch threads made by the server's factory")
                .isGreaterThanOrEqualTo(requests);
        fixture.awaitUntil("[06.6] a watch thread outlived its connection: " + fixture.watchThreads()
                + " (README 06.6)", () -> fixture.watchThreads().isEmpty());
    }
}
