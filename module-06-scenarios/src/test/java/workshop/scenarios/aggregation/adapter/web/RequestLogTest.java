package workshop.scenarios.aggregation.adapter.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import workshop.scenarios.aggregation.application.ProductPages;
import workshop.scenarios.aggregation.domain.FailureKind;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.ProductPage;
import workshop.scenarios.aggregation.domain.Recommendations;
import workshop.scenarios.aggregation.domain.ReviewSummary;
import workshop.scenarios.aggregation.domain.Stock;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.DEGRADED;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.DURATION_MS;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.METHOD;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.OMITTED;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.OUTCOME;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.PATH;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.REQUEST_ID;
import static workshop.scenarios.aggregation.adapter.web.RequestLog.STATUS;
import static workshop.support.testing.Parked.PATIENCE;

@Tag("06.9")
@DisplayName("06.9 One log line per request")
class RequestLogTest {

    private static final ProductId P1 = new ProductId("p-1");
    private static final List<String> KEYS =
            List.of(REQUEST_ID, METHOD, PATH, STATUS, DURATION_MS, OUTCOME, DEGRADED, OMITTED);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RequestLogLines lines = new RequestLogLines("workshop.test069.requests");
    private final RequestLog log = new RequestLog(lines.logger(), nanos::get);

    @AfterEach
    void detach() {
        lines.close();
    }

    /** A request as the server hands it to its handler. */
    private static Request request(String requestId, String method, String path) {
        return new Request(method, path, Map.of(), requestId);
    }

    /** A response with a JSON body. */
    private static Response response(int status, String json) {
        return Response.of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private void takes(long millis) {
        nanos.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    private static ProductPage page(Set<Part> omitted) {
        return new ProductPage(P1, new Stock(12, "AMS"), new Price(1999, "EUR"),
                omitted.contains(Part.REVIEWS) ? Optional.empty() : Optional.of(new ReviewSummary(4.5, 120)),
                omitted.contains(Part.RECOMMENDATIONS) ? Optional.empty()
                        : Optional.of(new Recommendations(List.of(new ProductId("p-2")))), omitted);
    }

    /** The endpoint, as far as the log cares: asks the (noted) use case and answers a status for its decision. */
    private Handler endpoint(PageDecision decision, long millis) {
        ProductPages pages = log.notingDecisions(id -> {
            takes(millis);
            return decision;
        });
        return request -> {
            PageDecision decided = pages.load(P1);
            int status = switch (decided) {
                case PageDecision.Serve serve -> 200;
                case PageDecision.Fail fail -> switch (fail.kind()) {
                    case NOT_FOUND -> 404;
                    case UNAVAILABLE -> 503;
                    case TIMED_OUT -> 504;
                };
            };
            return response(status, "{}");
        };
    }

    private ILoggingEvent theOneLine(String what) {
        List<ILoggingEvent> events = lines.events();
        assertThat(events).as("[06.9] lines logged for %s: expected exactly one, written once the response is "
                + "decided; got %d: %s. One line per request, not one at the start and one at the end, not one per "
                + "downstream call (README 06.9)", what, events.size(),
                events.stream().map(RequestLogLines::describe).toList()).hasSize(1);
        return events.getFirst();
    }

    private static void assertPair(ILoggingEvent line, String key, String expected, String why) {
        assertThat(RequestLogLines.keyValue(line, key)).as("[06.9] the line's key-value pair %s: %s. The line has "
                + "%s (README 06.9)", key, why, RequestLogLines.describe(line)).isEqualTo(expected);
    }

    @Nested
    @DisplayName("a request that is answered")
    class Answered {

        @Test
        @DisplayName("one line with every field as a key-value pair: id, method, path, status, duration, outcome, "
                + "degraded, omitted")
        void oneStructuredLine() throws Exception {
            Handler logged = log.wrap(endpoint(new PageDecision.Serve(page(Set.of(Part.REVIEWS))), 37));

            Response response = logged.handle(request("req-7", "GET", "/products/p-1"));

            assertThat(response.status()).as("[06.9] the status the wrapped handler answered (README 06.9)")
                    .isEqualTo(200);
            ILoggingEvent line = theOneLine("one request");
            assertThat(line.getKeyValuePairs()).as("[06.9] the line carries no key-value pairs: its message is '%s'. "
                    + "A message built by concatenation is text a log pipeline cannot filter on; add each field with "
                    + "SLF4J's fluent API (logger.atInfo().addKeyValue(...).log(...)) (README 06.9)",
                    line.getFormattedMessage()).isNotNull().isNotEmpty();
            assertPair(line, REQUEST_ID, "req-7", "the id the server gave the request");
            assertPair(line, METHOD, "GET", "the request's method");
            assertPair(line, PATH, "/products/p-1", "the request's path");
            assertPair(line, STATUS, "200", "the response's status");
            assertPair(line, DURATION_MS, "37.0", "the request took 37 ms on the constructor's clock");
            assertPair(line, OUTCOME, "degraded", "the page omitted reviews");
            assertPair(line, DEGRADED, "true", "the page omitted reviews");
            assertPair(line, OMITTED, "reviews", "the labels of the omitted parts");
            assertThat(line.getLevel()).as("[06.9] the level of the line of a request that was answered "
                    + "(README 06.9)").isEqualTo(Level.INFO);

            JsonEncoder json = new JsonEncoder();
            json.setContext(lines.context());
            json.start();
            String encoded = new String(json.encode(line), StandardCharsets.UTF_8);
            assertThat(encoded).as("[06.9] the line through Logback's JsonEncoder, as the service writes it "
                    + "(README 06.9)").contains("\"requestId\"").contains("\"req-7\"").contains("\"degraded\"");
        }

        @Test
        @DisplayName("a page with nothing omitted is ok, not degraded, and omits nothing")
        void aFullPage() throws Exception {
            Handler logged = log.wrap(endpoint(new PageDecision.Serve(page(Set.of())), 12));

            logged.handle(request("req-1", "GET", "/products/p-1"));

            ILoggingEvent line = theOneLine("one request");
            assertPair(line, OUTCOME, "ok", "the page had every part");
            assertPair(line, DEGRADED, "false", "the page had every part");
            assertPair(line, OMITTED, "", "nothing was omitted: an empty value");
        }

        @Test
        @DisplayName("omitted parts are listed in the order of Part, comma-separated")
        void omittedInOrder() throws Exception {
            Handler logged = log.wrap(endpoint(
                    new PageDecision.Serve(page(Set.of(Part.RECOMMENDATIONS, Part.REVIEWS))), 12));

            logged.handle(request("req-1", "GET", "/products/p-1"));

            assertPair(theOneLine("one request"), OMITTED, "reviews,recommendations",
                    "both optional parts were omitted");
        }

        @Test
        @DisplayName("a failed page logs its failure as the outcome, with its status")
        void aFailedPage() throws Exception {
            Handler logged = log.wrap(endpoint(
                    new PageDecision.Fail(FailureKind.TIMED_OUT, Part.PRICING, "the test's fake"), 150));

            logged.handle(request("req-2", "GET", "/products/p-1"));

            ILoggingEvent line = theOneLine("one request");
            assertPair(line, STATUS, "504", "the endpoint answered 504");
            assertPair(line, OUTCOME, "timed_out", "the use case decided TIMED_OUT");
            assertPair(line, DEGRADED, "false", "no page was served");
            assertPair(line, DURATION_MS, "150.0", "the request took 150 ms on the constructor's clock");
        }

        @Test
        @DisplayName("a request that never reached the use case takes its outcome from the status")
        void noDecision() throws Exception {
            Handler logged = log.wrap(request -> response(400, "{\"error\":\"not a product id\"}"));

            logged.handle(request("req-3", "GET", "/products/NOT_AN_ID"));

            ILoggingEvent line = theOneLine("a request answered 400 without the use case");
            assertPair(line, STATUS, "400", "the endpoint answered 400");
            assertPair(line, OUTCOME, "client_error", "a 4xx answered without a decision");
        }

        @Test
        @DisplayName("ten requests, ten lines, each with its own id")
        void oneLineEach() throws Exception {
            Handler logged = log.wrap(endpoint(new PageDecision.Serve(page(Set.of())), 1));

            for (int n = 0; n < 10; n++) {
                logged.handle(request("req-" + n, "GET", "/products/p-1"));
            }

            List<String> ids = lines.events().stream().map(e -> RequestLogLines.keyValue(e, REQUEST_ID)).toList();
            assertThat(ids).as("[06.9] the requestId of the lines logged for requests req-0 to req-9: one line "
                    + "each, in order (README 06.9)").containsExactly("req-0", "req-1", "req-2", "req-3", "req-4",
                    "req-5", "req-6", "req-7", "req-8", "req-9");
        }
    }

    @Nested
    @DisplayName("a handler that throws")
    class Throws {

        @Test
        @DisplayName("a runtime exception: one WARN line with status 500 and the exception, which goes on")
        void runtimeException() throws Exception {
            IllegalStateException bug = new IllegalStateException("the test's handler failed on purpose");
            Handler logged = log.wrap(request -> {
                takes(20);
                throw bug;
            });

            Throwable thrown = null;
            try {
                logged.handle(request("req-4", "GET", "/products/p-1"));
            } catch (NotSolvedYet e) {
                throw e;
            } catch (RuntimeException e) {
                thrown = e;
            }

            assertThat(thrown).as("[06.9] the wrapped handler threw; the logged one should rethrow that very "
                    + "exception after its line, so that the server answers 500 (README 06.9)").isSameAs(bug);
            ILoggingEvent line = theOneLine("a request whose handler threw: the line belongs in a finally or a "
                    + "catch, or the requests that go wrong leave no trace");
            assertPair(line, REQUEST_ID, "req-4", "the request's id");
            assertPair(line, STATUS, "500", "what the server answers when the handler throws");
            assertPair(line, OUTCOME, "error", "the handler threw");
            assertPair(line, DURATION_MS, "20.0", "the handler threw after 20 ms");
            assertThat(line.getLevel().isGreaterOrEqual(Level.WARN) && line.getThrowableProxy() != null)
                    .as("[06.9] the line of a request whose handler threw was at %s with %s: log it at WARN (or "
                            + "ERROR) with the exception attached (setCause) (README 06.9)", line.getLevel(),
                            line.getThrowableProxy() == null ? "no exception"
                                    : line.getThrowableProxy().getClassName()).isTrue();
        }

        @Test
        @DisplayName("an interrupt (the client went away): one line with outcome client_gone, the interrupt goes on")
        void clientGone() throws Exception {
            InterruptedException gone = new InterruptedException("the client went away");
            Handler logged = log.wrap(request -> {
                takes(60);
                throw gone;
            });

            Background<Throwable> call = Background.call("[06.9] a logged request whose client went away", () -> {
                try {
                    logged.handle(request("req-5", "GET", "/products/p-1"));
                    return null;
                } catch (InterruptedException e) {
                    return e;
                }
            });
            Throwable thrown = call.await(PATIENCE);

            assertThat(thrown).as("[06.9] the wrapped handler threw InterruptedException (the client went away); the "
                    + "logged one should rethrow that very exception, not swallow it or turn it into a 500 "
                    + "(README 06.9)").isSameAs(gone);
            ILoggingEvent line = theOneLine("a request whose client went away");
            assertPair(line, REQUEST_ID, "req-5", "the request's id");
            assertPair(line, OUTCOME, "client_gone", "the handler was interrupted: the client went away");
            assertPair(line, STATUS, String.valueOf(RequestLog.CLIENT_GONE), "no response was sent: 499, "
                    + "RequestLog.CLIENT_GONE");
            assertPair(line, DURATION_MS, "60.0", "the handler was cut after 60 ms");
        }
    }

    @Test
    @DisplayName("over HTTP, the id in the line is the one in the response's X-Request-Id header")
    void theIdAgreesWithTheHeader() throws Exception {
        Handler logged = log.wrap(endpoint(new PageDecision.Serve(page(Set.of())), 3));
        ObjectMapper json = JsonMapper.builder().build();
        // the module's server: it answers with the client's X-Request-Id if it sent one, else with one it made
        try (WebServer server = WebServer.start(logged);
             HttpClient client = HttpClient.newHttpClient()) {
            URI base = server.uri();
            HttpResponse<String> fresh = client.send(HttpRequest.newBuilder(base.resolve("/products/p-1"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> given = client.send(HttpRequest.newBuilder(base.resolve("/products/p-1"))
                    .header("X-Request-Id", "client-42").timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());

            JsonNode body = json.readTree(fresh.body());
            assertThat(body.has("error") ? body.get("error").asString() : null)
                    .as("[06.9] the server's answer to GET /products/p-1 (README 06.9)").isNull();
            List<ILoggingEvent> events = lines.events();
            assertThat(events).as("[06.9] lines logged for two requests over HTTP (README 06.9)").hasSize(2);
            String header = fresh.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(RequestLogLines.keyValue(events.get(0), REQUEST_ID)).as("[06.9] the requestId of the line "
                    + "of a request the server answered with X-Request-Id: %s. The line's id must be the one the "
                    + "client sees, so that a support ticket quoting it finds the line; take it from the request, "
                    + "never make one of your own (README 06.9)", header).isEqualTo(header);
            assertThat(RequestLogLines.keyValue(events.get(1), REQUEST_ID)).as("[06.9] the requestId of the line "
                    + "of a request the client sent with X-Request-Id: client-42 (README 06.9)")
                    .isEqualTo(given.headers().firstValue("X-Request-Id").orElseThrow()).isEqualTo("client-42");
        }
    }

    @Test
    @DisplayName("the line's message is the same for every request: the fields are in key-value pairs")
    void aConstantMessage() throws Exception {
        Handler logged = log.wrap(endpoint(new PageDecision.Serve(page(Set.of())), 1));

        logged.handle(request("req-a", "GET", "/products/p-1"));
        logged.handle(request("req-b", "GET", "/products/p-2"));

        List<ILoggingEvent> events = lines.events();
        assertThat(events).as("[06.9] lines for two requests (README 06.9)").hasSize(2);
        assertThat(events.get(0).getMessage()).as("[06.9] the messages of two requests' lines differ ('%s' and "
                + "'%s'): the values belong in key-value pairs, the message names the event (README 06.9)",
                events.get(0).getFormattedMessage(), events.get(1).getFormattedMessage())
                .isEqualTo(events.get(1).getMessage()).isEqualTo(RequestLog.MESSAGE);
        for (String key : KEYS) {
            assertThat(RequestLogLines.keyValue(events.get(1), key)).as("[06.9] the key-value pair %s of the line "
                    + "%s (README 06.9)", key, RequestLogLines.describe(events.get(1))).isNotNull();
        }
    }
}
