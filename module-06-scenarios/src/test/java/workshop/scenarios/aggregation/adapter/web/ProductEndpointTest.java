package workshop.scenarios.aggregation.adapter.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
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
import workshop.support.testing.Patience;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@Tag("06.5")
@DisplayName("06.5 The product endpoint")
class ProductEndpointTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ProductId P1 = new ProductId("p-1");
    private static final ProductPage FULL = new ProductPage(P1, new Stock(12, "AMS"), new Price(1999, "EUR"),
            Optional.of(new ReviewSummary(4.5, 120)),
            Optional.of(new Recommendations(List.of(new ProductId("p-2"), new ProductId("p-3")))), Set.of());

    /** What the fake port answers; it records every id it is asked for. */
    private interface Answer {
        PageDecision answer(ProductId id) throws InterruptedException;
    }

    private final List<ProductId> asked = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> thrown = new CopyOnWriteArrayList<>();
    private volatile Answer answer = id -> new PageDecision.Serve(FULL);
    private final ProductPages pages = id -> {
        asked.add(id);
        return answer.answer(id);
    };
    private ProductEndpoint endpoint;
    private WebServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        endpoint = new ProductEndpoint(pages);
        // No watch here: 06.5 does not depend on 06.6.
        server = WebServer.start(request -> {
            try {
                return endpoint.handle(request);
            } catch (RuntimeException e) {
                thrown.add(e); // the learner's exception ("not solved yet") is the failure to show, not the 500
                throw e;
            }
        }, WebServer.Options.defaults().withWatching(WebServer.Watching.OFF));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Patience.seconds(5)).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(Patience.seconds(5)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (!thrown.isEmpty()) {
            throw thrown.getFirst();
        }
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type"))
                .as("[06.5] every answer of the endpoint is JSON: Content-Type application/json (README 06.5)")
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new AssertionError("[06.5] the body is not JSON: " + response.body() + " (README 06.5)", e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asString()));
        return texts;
    }

    @Test
    @DisplayName("a page is 200 with its JSON document: stock, price, reviews, recommendations, degraded, omitted")
    void aPageIsServedAs200() throws Exception {
        HttpResponse<String> response = send("GET", "/products/p-1");

        assertThat(response.statusCode()).as("[06.5] status for a served page, body %s", response.body())
                .isEqualTo(200);
        assertThat(asked).as("[06.5] the ids the port was asked for").containsExactly(P1);
        assertThat(response.headers().firstValue("X-Request-Id")).as("[06.5] the server's X-Request-Id").isPresent();
        JsonNode page = json(response);
        assertThat(page.path("id").asString()).as("[06.5] \"id\" in %s", page).isEqualTo("p-1");
        assertThat(page.path("stock").path("available").asInt(-1)).as("[06.5] stock.available in %s", page)
                .isEqualTo(12);
        assertThat(page.path("stock").path("warehouse").asString()).as("[06.5] stock.warehouse in %s", page)
                .isEqualTo("AMS");
        assertThat(page.path("price").path("amountCents").asLong(-1)).as("[06.5] price.amountCents in %s", page)
                .isEqualTo(1999);
        assertThat(page.path("price").path("currency").asString()).as("[06.5] price.currency in %s", page)
                .isEqualTo("EUR");
        assertThat(page.path("reviews").path("averageStars").asDouble(-1)).as("[06.5] reviews.averageStars in %s", page)
                .isEqualTo(4.5);
        assertThat(page.path("reviews").path("count").asInt(-1)).as("[06.5] reviews.count in %s", page).isEqualTo(120);
        assertThat(texts(page.path("recommendations"))).as("[06.5] recommendations (an array of ids) in %s", page)
                .containsExactly("p-2", "p-3");
        assertThat(page.path("degraded").isBoolean() && !page.path("degraded").asBoolean())
                .as("[06.5] \"degraded\": false in %s: a page with every part is not degraded (README 06.5)", page)
                .isTrue();
        assertThat(page.path("omitted").isArray() && page.path("omitted").isEmpty())
                .as("[06.5] \"omitted\": [] in %s: the field is always there, empty when nothing was left out "
                        + "(README 06.5)", page).isTrue();
    }

    @Test
    @DisplayName("a degraded page is still 200, says it is degraded and which parts it left out")
    void aDegradedPageIsStill200() throws Exception {
        answer = id -> new PageDecision.Serve(new ProductPage(P1, new Stock(0, "AMS"), new Price(5, "EUR"),
                Optional.empty(), Optional.of(new Recommendations(List.of(new ProductId("p-9")))),
                Set.of(Part.REVIEWS)));

        HttpResponse<String> response = send("GET", "/products/p-1");

        assertThat(response.statusCode())
                .as("[06.5] a degraded page is a page: 200, not 206 (a byte range) nor 503 (README 06.5); body %s",
                        response.body()).isEqualTo(200);
        JsonNode page = json(response);
        assertThat(page.path("degraded").asBoolean(false)).as("[06.5] \"degraded\": true in %s", page).isTrue();
        assertThat(page.path("omitted").isArray() ? texts(page.path("omitted")) : List.of())
                .as("[06.5] \"omitted\" must list the labels of the parts left out, in %s (README 06.5)", page)
                .containsExactly("reviews");
        assertThat(page.has("reviews")).as("[06.5] no \"reviews\" field when the page has none, in %s", page)
                .isFalse();
        assertThat(texts(page.path("recommendations"))).as("[06.5] recommendations in %s", page)
                .containsExactly("p-9");
    }

    @Test
    @DisplayName("a page without reviews or recommendations, none omitted, has neither field and is not degraded")
    void absentPartsAreAbsentFields() throws Exception {
        answer = id -> new PageDecision.Serve(new ProductPage(P1, new Stock(1, "FRA"), new Price(0, "USD"),
                Optional.empty(), Optional.empty(), Set.of()));

        JsonNode page = json(send("GET", "/products/p-1"));

        assertThat(page.has("reviews") || page.has("recommendations"))
                .as("[06.5] \"reviews\" and \"recommendations\" are absent when the page has none (not null), in %s "
                        + "(README 06.5)", page).isFalse();
        assertThat(page.path("degraded").isBoolean() && !page.path("degraded").asBoolean())
                .as("[06.5] \"degraded\": false in %s", page).isTrue();
        assertThat(page.path("omitted").isArray() && page.path("omitted").isEmpty())
                .as("[06.5] \"omitted\": [] in %s", page).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FailureKind.class)
    @DisplayName("a failed page is 404, 503 or 504 with a JSON error naming the kind, the part and the request id")
    void aFailureHasItsStatus(FailureKind kind) throws Exception {
        answer = id -> new PageDecision.Fail(kind, Part.INVENTORY, "inventory said so");
        int expected = switch (kind) {
            case NOT_FOUND -> 404;
            case UNAVAILABLE -> 503;
            case TIMED_OUT -> 504;
        };

        HttpResponse<String> response = send("GET", "/products/p-1", "X-Request-Id", "req-42");

        assertThat(response.statusCode()).as("[06.5] status for a page that failed with %s (README 06.5): "
                + "NOT_FOUND 404, UNAVAILABLE 503, TIMED_OUT 504, never 500; body %s", kind, response.body())
                .isEqualTo(expected);
        JsonNode error = json(response);
        assertThat(error.path("error").asString()).as("[06.5] \"error\" in %s", error)
                .isEqualTo(kind.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(error.path("part").asString()).as("[06.5] \"part\" in %s", error).isEqualTo("inventory");
        assertThat(error.path("requestId").asString())
                .as("[06.5] \"requestId\" in %s: the request's id (Request.requestId()), as in X-Request-Id", error)
                .isEqualTo("req-42");
        assertThat(response.headers().firstValue("X-Request-Id")).as("[06.5] X-Request-Id").hasValue("req-42");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"P-1", "p_1", "p%201", "p-1.json", "%2e%2e", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    @DisplayName("an invalid id is 400 and never reaches the port")
    void anInvalidIdIs400(String id) throws Exception {
        HttpResponse<String> response = send("GET", "/products/" + id);

        assertThat(asked).as("[06.5] the invalid id \"%s\" must be refused as it is, before the port sees it "
                + "(ProductId.isValid), but the port was asked for", id).isEmpty();
        assertThat(response.statusCode()).as("[06.5] status for the invalid id \"%s\" (README 06.5); body %s", id,
                response.body()).isEqualTo(400);
        assertThat(json(response).path("error").asString()).as("[06.5] \"error\" for an invalid id")
                .isEqualTo("invalid_product_id");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/products", "/products/p-1/reviews", "/product/p-1", "/", "/metrics"})
    @DisplayName("another path is 404 and never reaches the port")
    void anotherPathIs404(String path) throws Exception {
        HttpResponse<String> response = send("GET", path);

        assertThat(response.statusCode()).as("[06.5] status for the path %s (README 06.5); body %s", path,
                response.body()).isEqualTo(404);
        assertThat(asked).as("[06.5] the port must not be asked for the path %s, but was asked for", path).isEmpty();
        assertThat(json(response).path("error").asString()).as("[06.5] \"error\" for an unknown path")
                .isEqualTo("not_found");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    @DisplayName("another method is 405 with Allow: GET and never reaches the port")
    void anotherMethodIs405(String method) throws Exception {
        HttpResponse<String> response = send(method, "/products/p-1");

        assertThat(response.statusCode()).as("[06.5] status for %s /products/p-1 (README 06.5); body %s", method,
                response.body()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).as("[06.5] a 405 must say what is allowed: Allow: GET")
                .hasValue("GET");
        assertThat(asked).as("[06.5] the port must not be asked for a %s, but was asked for", method).isEmpty();
        assertThat(json(response).path("error").asString()).as("[06.5] \"error\" for a 405")
                .isEqualTo("method_not_allowed");
    }

    @Test
    @DisplayName("the query does not change which product is asked for")
    void theQueryIsIgnored() throws Exception {
        HttpResponse<String> response = send("GET", "/products/p-1?fields=all");

        assertThat(response.statusCode()).as("[06.5] status for /products/p-1?fields=all; body %s",
                response.body()).isEqualTo(200);
        assertThat(asked).as("[06.5] the port must be asked for the path's id, the query left out").containsExactly(P1);
    }

    @Test
    @DisplayName("when the port is interrupted, handle() throws InterruptedException on: no 500, no answer at all")
    void anInterruptedPortIsNoAnswer() throws Exception {
        answer = id -> {
            throw new InterruptedException("the client went away");
        };
        Request request = new Request("GET", "/products/p-1", Map.of("host", "localhost"), "req-7");

        Throwable thrown = catchThrowable(() -> {
            Response response = endpoint.handle(request);
            throw new AssertionError("[06.5] the port threw InterruptedException (the client went away) and handle() "
                    + "answered " + response.status() + ": throw it on instead, there is no one to answer; the server "
                    + "closes the connection (README 06.5)");
        });

        assertThat(thrown).as("[06.5] what handle() threw when the port threw InterruptedException")
                .isInstanceOf(InterruptedException.class);
        Thread.interrupted(); // in case the endpoint set it again: it must not leak into the next test
        Throwable overTheWire = catchThrowable(() -> send("GET", "/products/p-1"));
        assertThat(overTheWire)
                .as("[06.5] over the wire, an interrupted handler gets no answer: the server closes the connection")
                .isInstanceOf(IOException.class);
    }
}
