package workshop.scenarios.aggregation.adapter.downstream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.scenarios.aggregation.application.DownstreamException;
import workshop.scenarios.aggregation.application.DownstreamException.Kind;
import workshop.scenarios.aggregation.application.InventoryPort;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.Recommendations;
import workshop.scenarios.aggregation.domain.ReviewSummary;
import workshop.scenarios.aggregation.domain.Stock;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.4")
@DisplayName("06.4 A downstream over HTTP")
class DownstreamHttpClientTest {

    /** Long enough that no call times out on a loaded machine, except where a test wants one to. */
    private static final Duration GENEROUS = Patience.seconds(20);
    /** The time-out of the test that wants one: short, so that the test is quick. */
    private static final Duration SHORT = Duration.ofMillis(250);
    private static final ProductId P1 = new ProductId("p-1");

    private DownstreamFakeServer server;
    private DownstreamHoldingSocket holding;
    private DownstreamHttpClient<?> client;
    private Background<Result> caller;

    /** What one fetch did: its value or what it threw, and the interrupt status afterwards. */
    private record Result(Object value, Throwable thrown, boolean interruptedAtReturn) {
        DownstreamException failure() {
            return thrown instanceof DownstreamException e ? e : null;
        }

        boolean failedWith(Kind kind) {
            return failure() != null && failure().kind() == kind;
        }

        String describe() {
            return thrown == null ? "it returned " + value
                    : thrown instanceof DownstreamException e ? "it threw DownstreamException(" + e.kind() + ", \""
                    + e.getMessage() + "\")" : "it threw " + thrown;
        }
    }

    private static Result attempt(Callable<?> call) {
        try {
            return new Result(call.call(), null, Thread.currentThread().isInterrupted());
        } catch (NotSolvedYet e) {
            throw e;
        } catch (Exception e) {
            return new Result(null, e, Thread.interrupted());
        }
    }

    private Result fetch(DownstreamHttpClient<?> c, ProductId id) {
        return attempt(() -> c.fetch(id));
    }

    private DownstreamFakeServer server() throws IOException {
        server = DownstreamFakeServer.start();
        return server;
    }

    private <T> DownstreamHttpClient<T> track(DownstreamHttpClient<T> c) {
        client = c;
        return c;
    }

    /** Loads the HTTP server and client classes once, so that a starter's first test fails as fast as the others. */
    @BeforeAll
    static void warmUp() throws IOException {
        try (DownstreamFakeServer s = DownstreamFakeServer.start();
             HttpClient c = HttpClient.newHttpClient()) {
            s.base();
            c.version();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        // servers first: they release what they hold, so that a call that waits for an answer returns
        if (server != null) {
            server.close();
        }
        if (holding != null) {
            holding.close();
        }
        if (caller != null) {
            caller.thread().interrupt();
            caller.join(PATIENCE);
        }
        if (client != null) {
            client.close();
        }
    }

    @Nested
    @DisplayName("when the downstream answers 200")
    class Answers {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Part.class)
        @DisplayName("each part is fetched with GET base/<resource>/<id> and its JSON becomes the part's value")
        void eachPart(Part part) throws IOException {
            DownstreamFakeServer s = server();
            URI base = s.base();
            record Case(DownstreamHttpClient<?> client, String path, String body, Object expected) {
            }
            Case c = switch (part) {
                case INVENTORY -> new Case(DownstreamHttpClient.inventory(base, GENEROUS), "/inventory/p-1",
                        "{\"productId\":\"p-1\",\"available\":12,\"warehouse\":\"AMS\"}", new Stock(12, "AMS"));
                case PRICING -> new Case(DownstreamHttpClient.pricing(base, GENEROUS), "/prices/p-1",
                        "{\"productId\":\"p-1\",\"amountCents\":1999,\"currency\":\"EUR\"}", new Price(1999, "EUR"));
                case REVIEWS -> new Case(DownstreamHttpClient.reviews(base, GENEROUS), "/reviews/p-1",
                        "{\"productId\":\"p-1\",\"averageStars\":4.5,\"count\":120}", new ReviewSummary(4.5, 120));
                case RECOMMENDATIONS -> new Case(DownstreamHttpClient.recommendations(base, GENEROUS),
                        "/recommendations/p-1", "{\"productId\":\"p-1\",\"productIds\":[\"p-2\",\"p-3\"]}",
                        new Recommendations(List.of(new ProductId("p-2"), new ProductId("p-3"))));
            };
            track(c.client());
            s.answer(200, c.body());

            Result result = fetch(c.client(), P1);

            assertThat(s.requestLines()).as("[06.4] the %s downstream should get one GET %s for product p-1, it got "
                    + "%s: the path is base + \"%s\" + id, and one call is one request (README 06.4)", part.label(),
                    c.path(), s.requestLines(), c.path().replace("p-1", "")).containsExactly("GET " + c.path());
            assertThat(result.value()).as("[06.4] a 200 with body %s should give %s, but %s (README 06.4)", c.body(),
                    c.expected(), result.describe()).isEqualTo(c.expected());
        }

        @Test
        @DisplayName("fields of the body that the part does not know are ignored")
        void unknownFields() throws IOException {
            DownstreamFakeServer s = server().answer(200,
                    "{\"productId\":\"p-1\",\"available\":3,\"warehouse\":\"RTM\",\"etag\":\"x1\",\"bins\":[1,2]}");
            Result result = fetch(track(DownstreamHttpClient.inventory(s.base(), GENEROUS)), P1);

            assertThat(result.value()).as("[06.4] a 200 with fields the client does not know should still give the "
                    + "stock, but %s (README 06.4)", result.describe()).isEqualTo(new Stock(3, "RTM"));
        }

        @Test
        @DisplayName("the client is the port: client::fetch is an InventoryPort")
        void isThePort() throws Exception {
            DownstreamFakeServer s = server().answer(200,
                    "{\"productId\":\"p-7\",\"available\":0,\"warehouse\":\"AMS\"}");
            DownstreamHttpClient<Stock> c = track(DownstreamHttpClient.inventory(s.base(), GENEROUS));
            InventoryPort port = c::fetch;

            Result result = attempt(() -> port.stock(new ProductId("p-7")));

            assertThat(result.value()).as("[06.4] the port should give the stock of p-7, but %s (README 06.4)",
                    result.describe()).isEqualTo(new Stock(0, "AMS"));
            assertThat(s.requestLines()).as("[06.4] the port should call GET /inventory/p-7 (README 06.4)")
                    .containsExactly("GET /inventory/p-7");
        }
    }

    @Nested
    @DisplayName("when the downstream does not answer with a value")
    class Failures {

        @Test
        @DisplayName("a 404 is NOT_FOUND: an answer, not a failure")
        void notFound() throws IOException {
            DownstreamFakeServer s = server().answer(404, "no such product");
            Result result = fetch(track(DownstreamHttpClient.reviews(s.base(), GENEROUS)), P1);

            assertThat(result.failedWith(Kind.NOT_FOUND)).as("[06.4] a 404 should throw DownstreamException("
                    + "NOT_FOUND): the downstream answered that it knows no such product, which is not a failure "
                    + "(the page leaves the part out, the breaker does not count it), but %s (README 06.4)",
                    result.describe()).isTrue();
            assertThat(result.failure().part()).as("[06.4] the exception should name the part (README 06.4)")
                    .isEqualTo(Part.REVIEWS);
        }

        @ParameterizedTest(name = "status {0}")
        @ValueSource(ints = {500, 503, 400, 302})
        @DisplayName("any other status is FAILED and the message names it, even with a body that looks like a page")
        void otherStatus(int status) throws IOException {
            // a valid inventory body: only the status says that it is not an answer
            DownstreamFakeServer s = server().answer(status,
                    "{\"productId\":\"p-1\",\"available\":12,\"warehouse\":\"AMS\"}");
            Result result = fetch(track(DownstreamHttpClient.inventory(s.base(), GENEROUS)), P1);

            assertThat(result.failedWith(Kind.FAILED)).as("[06.4] a status %d should throw DownstreamException(FAILED) "
                    + "whatever its body (only a 200 is a value: check the status before you read the body), but %s "
                    + "(README 06.4)", status, result.describe()).isTrue();
            assertThat(result.failure().getMessage()).as("[06.4] the failure's message should name the part and the "
                    + "status %d, for the logs (README 06.4)", status).contains("inventory").contains("" + status);
        }

        @ParameterizedTest(name = "body {0}")
        @ValueSource(strings = {"<html>oops</html>", "{\"productId\":\"p-1\",\"available\":-1,\"warehouse\":\"AMS\"}",
                "{\"productId\":\"p-1\"}", ""})
        @DisplayName("a 200 whose body cannot be read as the part is FAILED")
        void unreadableBody(String body) throws IOException {
            DownstreamFakeServer s = server().answer(200, body);
            Result result = fetch(track(DownstreamHttpClient.inventory(s.base(), GENEROUS)), P1);

            assertThat(result.failedWith(Kind.FAILED)).as("[06.4] a 200 with the body '%s' should throw "
                    + "DownstreamException(FAILED): the reader throws IllegalArgumentException for a body that is not "
                    + "the part, but %s (README 06.4)", body, result.describe()).isTrue();
        }

        @Test
        @DisplayName("a connection that is refused is FAILED")
        void refused() throws IOException {
            int port;
            try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closedAgain.getLocalPort(); // nothing listens there once it is closed
            }
            URI base = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port);
            Result result = fetch(track(DownstreamHttpClient.pricing(base, GENEROUS)), P1);

            assertThat(result.failedWith(Kind.FAILED)).as("[06.4] a refused connection should throw "
                    + "DownstreamException(FAILED): an IOException from send() is a failure, but %s (README 06.4)",
                    result.describe()).isTrue();
        }

        @Test
        @DisplayName("a downstream that does not answer in time is TIMED_OUT, while it still holds the answer")
        void timeOut() throws Exception {
            DownstreamFakeServer s = server().answer(200,
                    "{\"productId\":\"p-1\",\"available\":12,\"warehouse\":\"AMS\"}");
            s.holdAnswers(); // released by tearDown, after the assertions
            DownstreamHttpClient<Stock> c = track(DownstreamHttpClient.inventory(s.base(), SHORT));

            caller = Background.call("[06.4] fetch()", () -> fetch(c, P1));
            Result result = awaitWatching("06.4", "a downstream that holds its answer should make fetch() throw "
                    + "DownstreamException(TIMED_OUT) once the per-call time-out of " + SHORT.toMillis() + " ms has "
                    + "passed, but it was still waiting after " + PATIENCE.toSeconds() + " s: is there no time-out on "
                    + "the request (HttpRequest.Builder.timeout)?", caller);

            assertThat(result.failedWith(Kind.TIMED_OUT)).as("[06.4] no answer within the per-call time-out should "
                    + "throw DownstreamException(TIMED_OUT), not FAILED: send() throws HttpTimeoutException, which is "
                    + "an IOException, so catch it first; but %s (README 06.4)", result.describe()).isTrue();
            assertThat(s.answered()).as("[06.4] the time-out should come from the client while the downstream still "
                    + "holds its answer (README 06.4)").isZero();
        }
    }

    @Nested
    @DisplayName("connections and threads")
    class Connections {

        @Test
        @DisplayName("20 calls one after the other reuse the client's connection instead of opening 20")
        void reuse() throws IOException {
            DownstreamFakeServer s = server().answer(200,
                    "{\"productId\":\"p-1\",\"amountCents\":5,\"currency\":\"EUR\"}");
            DownstreamHttpClient<Price> c = track(DownstreamHttpClient.pricing(s.base(), GENEROUS));

            for (int i = 0; i < 20; i++) {
                Result result = fetch(c, P1);
                assertThat(result.value()).as("[06.4] call %d of 20 should give the price, but %s (README 06.4)",
                        i + 1, result.describe()).isEqualTo(new Price(5, "EUR"));
            }

            assertThat(s.requests()).as("[06.4] 20 calls should make 20 requests (README 06.4)").isEqualTo(20);
            assertThat(s.connections()).as("[06.4] 20 calls one after the other came on %d connections: the client "
                    + "should keep its connection open and reuse it (one or two in all); is an HttpClient made per "
                    + "call instead of the one this downstream shares? (README 06.4)", s.connections())
                    .isBetween(1, 2);
        }

        @Test
        @DisplayName("after close() no thread of the client is left")
        void closeEndsThreads() throws Exception {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            DownstreamFakeServer s = server().answer(200,
                    "{\"productId\":\"p-1\",\"averageStars\":3.0,\"count\":2}");
            DownstreamHttpClient<ReviewSummary> c = track(DownstreamHttpClient.reviews(s.base(), GENEROUS));
            for (int i = 0; i < 3; i++) {
                Result result = fetch(c, P1);
                assertThat(result.value()).as("[06.4] call %d should give the reviews, but %s (README 06.4)", i + 1,
                        result.describe()).isEqualTo(new ReviewSummary(3.0, 2));
            }
            c.close();
            s.close();
            server = null;

            await("[06.4] threads of HTTP clients left after close() (README 06.4)").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                        List<String> left = Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> !before.contains(t) && t.isAlive()
                                        && t.getName().startsWith("HttpClient"))
                                .map(Thread::getName).sorted().toList();
                        assertThat(left).as("[06.4] after close() these threads of HTTP clients are still alive: an "
                                + "HttpClient made per call and never closed? The downstream's one client is closed "
                                + "by close() (README 06.4)").isEmpty();
                    });
        }
    }

    @Nested
    @DisplayName("when the caller is interrupted")
    class Interruption {

        @Test
        @DisplayName("fetch() throws InterruptedException at once and the exchange is abandoned: its connection closes")
        void interrupted() throws Exception {
            holding = new DownstreamHoldingSocket();
            DownstreamHttpClient<Stock> c = track(DownstreamHttpClient.inventory(holding.base(), GENEROUS));

            caller = Background.call("[06.4] fetch()", () -> fetch(c, P1));
            await("[06.4] the request should reach the downstream (README 06.4)").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2)).until(() -> {
                        caller.rethrowIfFailed();
                        return holding.requestArrived.getCount() == 0 || caller.isDone();
                    });
            assertThat(caller.isDone()).as("[06.4] fetch() returned before the downstream answered: %s (README 06.4)",
                    caller.isDone() ? caller.await(PATIENCE).describe() : "").isFalse();

            caller.thread().interrupt();
            Result result = awaitWatching("06.4", "an interrupted caller should get InterruptedException at once, but "
                    + "fetch() was still waiting after " + PATIENCE.toSeconds() + " s: a wait that ignores interruption "
                    + "(sendAsync().join()) or a retry after it?", caller);

            assertThat(result.thrown()).as("[06.4] an interrupted caller should get InterruptedException (the port's "
                    + "contract: the request is being cancelled), not a failure of the downstream nor a value; but %s "
                    + "(README 06.4)", result.describe()).isInstanceOf(InterruptedException.class);
            assertThat(holding.closedByClient.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("[06.4] after fetch() threw InterruptedException the downstream's connection stayed open for "
                            + "%d s: the exchange runs on with nobody waiting for it; HttpClient.send() cancels it "
                            + "when interrupted, a future's get() does not (README 06.4)", PATIENCE.toSeconds())
                    .isTrue();
        }
    }
}
