package workshop.scenarios.aggregation.downstreams;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.aggregation.domain.Part;
import workshop.support.TimeLimit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The simulated downstreams (machinery, not an exercise: tagged {@code machinery}, so it passes on the starter too):
 * they serve the wire contract, draw their latency and failures as their profile says, serve calls concurrently, and
 * close without leaving a thread.
 */
@Tag("machinery")
@DisplayName("The simulated downstreams")
@TimeLimit(seconds = 30) // a few hundred calls over loopback: seconds on a loaded 2-core machine
class SimulatedDownstreamsTest {

    private static final Duration UPPER_BOUND = Duration.ofSeconds(10);

    private static HttpResponse<String> get(HttpClient client, URI base, String path)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(UPPER_BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("serve the four wire contracts, and 404 for what they do not know")
    void serveTheContract() throws Exception {
        try (var downstreams = SimulatedDownstreams.start(Profiles.all(Profile.of(Latency.none())));
             var client = HttpClient.newHttpClient()) {
            URI inventory = downstreams.baseUri(Part.INVENTORY);
            assertThat(inventory.toString()).as("[downstreams] a base URI on loopback, without a trailing slash")
                    .matches("http://127\\.0\\.0\\.1:\\d+");

            var stock = get(client, inventory, "/inventory/p-1");
            assertThat(stock.statusCode()).as("[downstreams] GET /inventory/p-1").isEqualTo(200);
            assertThat(stock.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(stock.body()).isEqualTo("{\"productId\":\"p-1\",\"available\":37,\"warehouse\":\"FRA\"}");
            assertThat(get(client, downstreams.baseUri(Part.PRICING), "/prices/p-1").body())
                    .isEqualTo("{\"productId\":\"p-1\",\"amountCents\":630,\"currency\":\"EUR\"}");
            assertThat(get(client, downstreams.baseUri(Part.REVIEWS), "/reviews/p-1").body())
                    .isEqualTo("{\"productId\":\"p-1\",\"averageStars\":1.7,\"count\":14}");
            assertThat(get(client, downstreams.baseUri(Part.RECOMMENDATIONS), "/recommendations/p-1000").body())
                    .isEqualTo("{\"productId\":\"p-1000\",\"productIds\":[\"p-1\",\"p-2\",\"p-3\"]}");

            for (Part part : Part.values()) {
                List<String> unknowns = part == Part.INVENTORY ? List.of("p-0", "p-1001", "p-01", "x-1", "nope")
                        : List.of("p-1001");
                for (String unknown : unknowns) {
                    var response = get(client, downstreams.baseUri(part), SimulatedDownstreams.pathOf(part) + unknown);
                    assertThat(response.statusCode()).as("[downstreams] %s of unknown %s", part.label(), unknown)
                            .isEqualTo(404);
                }
                assertThat(get(client, downstreams.baseUri(part), "/elsewhere/p-1").statusCode())
                        .as("[downstreams] %s on another part's path", part.label()).isEqualTo(404);
            }
            assertThat(get(client, downstreams.baseUri(Part.REVIEWS), "/reviews/p-10").statusCode())
                    .as("[downstreams] p-10 has no reviews").isEqualTo(404);
            assertThat(get(client, downstreams.baseUri(Part.RECOMMENDATIONS), "/recommendations/p-7").statusCode())
                    .as("[downstreams] p-7 has no recommendations").isEqualTo(404);
            assertThat(get(client, downstreams.baseUri(Part.INVENTORY), "/inventory/p-70").statusCode())
                    .as("[downstreams] p-70 is a product, with neither reviews nor recommendations").isEqualTo(200);

            var counters = downstreams.counters(Part.REVIEWS);
            assertThat(counters.requests()).as("[downstreams] reviews' request count").isEqualTo(4);
            assertThat(counters.ok()).isEqualTo(1);
            assertThat(counters.notFound()).isEqualTo(2); // p-1001 and p-10; /elsewhere is not a product miss
            assertThat(counters.inFlight()).isZero();
        }
    }

    @Test
    @DisplayName("fail with 500 or 503 and a text body at their failure rate")
    void failAtTheirRate() throws Exception {
        Profiles profiles = Profiles.all(Profile.of(Latency.none()))
                .with(Part.PRICING, Profile.of(Latency.none()).failing(1.0))
                .with(Part.INVENTORY, Profile.of(Latency.none()).failing(0.25));
        try (var downstreams = SimulatedDownstreams.start(profiles); var client = HttpClient.newHttpClient()) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                var response = get(client, downstreams.baseUri(Part.PRICING), "/prices/p-" + (i + 1));
                statuses.add(response.statusCode());
                assertThat(response.headers().firstValue("Content-Type").orElse(""))
                        .as("[downstreams] a failure's body is text").startsWith("text/plain");
            }
            assertThat(statuses).as("[downstreams] pricing failing every call").containsOnly(500, 503)
                    .contains(500, 503);
            int failures = 0;
            for (int i = 0; i < 200; i++) {
                failures += get(client, downstreams.baseUri(Part.INVENTORY), "/inventory/p-2").statusCode() / 100 == 5
                        ? 1 : 0;
            }
            assertThat(failures).as("[downstreams] failures of 200 calls at a rate of 25 %").isBetween(25, 75);
            assertThat(downstreams.counters(Part.INVENTORY).failed()).isEqualTo(failures);
        }
    }

    @Test
    @DisplayName("serve calls at once, each after its delay, on virtual threads")
    void serveConcurrently() throws Exception {
        Duration delay = Duration.ofMillis(500);
        try (var downstreams = SimulatedDownstreams.start(Profiles.all(Profile.of(Latency.fixed(delay))));
             var client = HttpClient.newHttpClient()) {
            int calls = 20;
            long t0 = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                responses.add(client.sendAsync(HttpRequest.newBuilder(
                                URI.create(downstreams.baseUri(Part.REVIEWS) + "/reviews/p-" + (i + 1)))
                        .timeout(UPPER_BOUND).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (var response : responses) {
                assertThat(response.get().statusCode()).isIn(200, 404);
            }
            long tookNanos = System.nanoTime() - t0;
            assertThat(Duration.ofNanos(tookNanos)).as("[downstreams] no answer before its delay")
                    .isGreaterThanOrEqualTo(delay);
            var counters = downstreams.counters(Part.REVIEWS);
            assertThat(counters.peakInFlight())
                    .as("[downstreams] %d calls of %d ms each, sent at once, took %d ms: served at once?", calls,
                            delay.toMillis(), tookNanos / 1_000_000)
                    .isGreaterThan(calls / 2);
            // a client has its answer a moment before the server counts the call as ended
            await().atMost(UPPER_BOUND).until(() -> downstreams.counters(Part.REVIEWS).inFlight() == 0);
            downstreams.resetPeaks();
            assertThat(downstreams.counters(Part.REVIEWS).peakInFlight()).isZero();
        }
    }

    @Test
    @DisplayName("close at once, interrupting the calls still sleeping, and refuse connections afterwards")
    void closeCleanly() throws Exception {
        var downstreams = SimulatedDownstreams.start(Profiles.all(Profile.of(Latency.fixed(Duration.ofMinutes(1)))));
        try (downstreams; var client = HttpClient.newHttpClient()) { // closed again if an assertion fails first
            URI base = downstreams.baseUri(Part.INVENTORY);
            var pending = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/inventory/p-1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(UPPER_BOUND).until(() -> downstreams.counters(Part.INVENTORY).inFlight() == 1);
            long t0 = System.nanoTime();
            downstreams.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("[downstreams] close() with a call sleeping")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(downstreams.counters(Part.INVENTORY).inFlight()).as("[downstreams] calls after close()")
                    .isZero();
            assertThatThrownBy(pending::get).as("[downstreams] the call cut by close()")
                    .isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> get(client, base, "/inventory/p-1")).as("[downstreams] a call after close()")
                    .isInstanceOf(ConnectException.class);
            downstreams.close(); // idempotent
        }
    }

    @Test
    @DisplayName("draw log-normal latencies with the median and p99 asked for, and the tail's share")
    void drawTheDistribution() {
        Latency latency = Latency.logNormal(Duration.ofMillis(10), Duration.ofMillis(60))
                .withTail(0.05, Duration.ofMillis(250), Duration.ofMillis(400));
        var random = new SplittableRandom(42);
        int n = 200_000;
        long[] nanos = new long[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            nanos[i] = latency.draw(random).toNanos();
            tail += nanos[i] >= 250_000_000L ? 1 : 0;
        }
        Arrays.sort(nanos);
        assertThat(tail / (double) n).as("[downstreams] the tail's share").isBetween(0.045, 0.055);
        assertThat(nanos[n - 1]).as("[downstreams] the longest delay").isLessThanOrEqualTo(400_000_000L);
        // the body alone: its median and p99 are the 0.5/0.95 and 0.99/0.95 quantiles of all draws below the tail
        long[] body = Arrays.copyOf(nanos, n - tail);
        assertThat(body[body.length / 2] / 1e6).as("[downstreams] the body's median, ms").isBetween(9.5, 10.5);
        assertThat(body[(int) (body.length * 0.99)] / 1e6).as("[downstreams] the body's p99, ms").isBetween(55.0, 65.0);
        assertThat(Latency.none().draw(random)).isZero();
        assertThat(Profiles.benchmark().toString()).isNotBlank();
        assertThat(Latency.logNormal(Duration.ofMillis(15), Duration.ofMillis(80))
                .withTail(0.03, Duration.ofMillis(250), Duration.ofMillis(400)))
                .hasToString("log-normal, median 15 ms, p99 80 ms, plus 3 % of calls 250 ms-400 ms");
    }
}
