package workshop.scenarios.jobs.downstreams;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The simulated external API (given code): it answers, fails as drawn, refuses above its limit and closes clean. */
@Tag("machinery")
@DisplayName("The fake external API")
class FakeApiTest {

    private static final Duration QUICK = Duration.ofMillis(1);

    private static HttpResponse<String> post(HttpClient client, URI uri, String body) throws Exception {
        return client.send(request(uri, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI uri, String body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    @DisplayName("POST /jobs/{id} answers 200 with the processed payload; other paths and methods are refused")
    void answers() throws Exception {
        try (FakeApi api = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(QUICK, QUICK));
             HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> ok = post(client, URI.create(api.uri() + "/jobs/j-1"), "hello");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(FakeApi.resultOf("hello")).isEqualTo("processed hello");
            assertThat(post(client, URI.create(api.uri() + "/other"), "x").statusCode()).isEqualTo(404);
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(api.uri() + "/jobs/j-1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(api.counters().answered()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("fails the calls that fails(id, attempt) names, with 503, the same in every run")
    void failsAsDrawn() throws Exception {
        FakeApi.Settings settings = FakeApi.Settings.DEFAULT.withLatency(QUICK, QUICK).withFailureRate(0.5)
                .withSeed(42);
        try (FakeApi api = FakeApi.start(settings); HttpClient client = HttpClient.newHttpClient()) {
            int failures = 0;
            for (int job = 1; job <= 10; job++) {
                for (int attempt = 1; attempt <= 3; attempt++) {
                    HttpResponse<String> r = post(client, URI.create(api.uri() + "/jobs/j-" + job), "p");
                    boolean expectedToFail = api.fails("j-" + job, attempt);
                    failures += expectedToFail ? 1 : 0;
                    assertThat(r.statusCode()).as("job j-%d attempt %d", job, attempt)
                            .isEqualTo(expectedToFail ? 503 : 200);
                }
            }
            assertThat(failures).as("a failure rate of 0.5 over 30 calls").isBetween(5, 25);
            assertThat(api.counters().failed()).isEqualTo(failures);
        }
    }

    @Test
    @DisplayName("refuses a call above its limit at once with 429 and reports the peak of concurrent calls")
    void limit() throws Exception {
        Duration slow = Duration.ofSeconds(1);
        try (FakeApi api = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(slow, slow).withLimit(2));
             HttpClient client = HttpClient.newHttpClient()) {
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(client.sendAsync(request(URI.create(api.uri() + "/jobs/held-" + i), "p"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await("two calls in flight").atMost(Duration.ofSeconds(10)).until(() -> api.counters().inFlight() == 2);
            HttpResponse<String> third = post(client, URI.create(api.uri() + "/jobs/third"), "p");
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(api.peak()).isEqualTo(3);
            for (CompletableFuture<HttpResponse<String>> call : held) {
                assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(api.counters().refused()).isEqualTo(1);
            api.resetPeak();
            assertThat(api.peak()).isZero();
        }
    }

    @Test
    @DisplayName("close() ends the calls still sleeping at once: no thread of the API outlives it")
    void closeEndsSleepingCalls() throws Exception {
        Duration forever = Duration.ofMinutes(5);
        try (HttpClient client = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> call;
            try (FakeApi api = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(forever, forever))) {
                call = client.sendAsync(request(URI.create(api.uri() + "/jobs/j-1"), "p"),
                        HttpResponse.BodyHandlers.ofString());
                await("a call in flight").atMost(Duration.ofSeconds(10)).until(() -> api.counters().inFlight() == 1);
            }
            try {
                HttpResponse<String> response = call.get(10, TimeUnit.SECONDS);
                throw new AssertionError("a call the closed API never answered came back: " + response);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IOException.class);
            }
        }
    }
}
