package workshop.scenarios.aggregation.adapter.downstream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import workshop.scenarios.aggregation.application.DownstreamException;
import workshop.scenarios.aggregation.application.DownstreamException.Kind;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.Recommendations;
import workshop.scenarios.aggregation.domain.ReviewSummary;
import workshop.scenarios.aggregation.domain.Stock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Exercise 06.4: A downstream over HTTP
 *
 * <p>One downstream's port over HTTP: {@code GET base/inventory/{id}} (or {@code prices}, {@code reviews},
 * {@code recommendations}), a time-out on every call, the status mapped to the port's failures, and an interrupted
 * caller that abandons the exchange. One instance per downstream, each with the one {@link HttpClient} that all its
 * calls share (its connections are reused from call to call). In Go, one {@code http.Client} shared by every request,
 * and the request's context as the per-call deadline:
 *
 * <pre>{@code
 * ctx, cancel := context.WithTimeout(ctx, perCall)
 * defer cancel()
 * req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/inventory/"+id, nil)
 * resp, err := client.Do(req) // context.DeadlineExceeded when late; the connection is closed on cancel
 * if err != nil { return Stock{}, err }
 * defer resp.Body.Close()
 * switch resp.StatusCode {
 * case http.StatusOK:       var s Stock; return s, json.NewDecoder(resp.Body).Decode(&s)
 * case http.StatusNotFound: return Stock{}, ErrNotFound
 * default:                  return Stock{}, fmt.Errorf("inventory: status %d", resp.StatusCode)
 * }
 * }</pre>
 *
 * <p>{@code Main} makes one client per downstream with the factories ({@link #inventory}, {@link #pricing},
 * {@link #reviews}, {@link #recommendations}) and passes {@code client::fetch} as the port, for example as an
 * {@link workshop.scenarios.aggregation.application.InventoryPort}. It closes them when the service stops.
 *
 * <p>Thread safety: {@link #fetch} may be called from any number of threads at once.
 *
 * @param <T> the part's value: {@link Stock}, {@link Price}, {@link ReviewSummary} or {@link Recommendations}
 */
public final class DownstreamHttpClient<T> implements AutoCloseable {

    /** Turns the body of a 200 into the part's value. */
    @FunctionalInterface
    interface BodyReader<T> {
        /** @throws IllegalArgumentException if the body is not the part's JSON (not JSON, a field missing or wrong) */
        T read(String body);
    }

    /** Unknown fields are ignored, as the wire contract says: a downstream may add fields. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private record InventoryBody(String productId, int available, String warehouse) {
    }

    private record PriceBody(String productId, long amountCents, String currency) {
    }

    private record ReviewsBody(String productId, double averageStars, int count) {
    }

    private record RecommendationsBody(String productId, List<String> productIds) {
    }

    private final URI base;
    private final Part part;
    private final String resource;
    private final Duration perCall;
    private final BodyReader<T> reader;
    private final HttpClient client;

    /**
     * A client of one downstream, with its own {@link HttpClient}.
     *
     * @param base     the downstream's base URI, such as {@code http://127.0.0.1:8081/}
     * @param part     the part it serves, named in every failure
     * @param resource the path segment after the base: {@code inventory}, {@code prices}, ...
     * @param perCall  each call's time-out: positive
     * @param reader   turns a 200's body into the part's value
     */
    DownstreamHttpClient(URI base, Part part, String resource, Duration perCall, BodyReader<T> reader) {
        String text = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/"); // so that resolve() appends
        this.part = Objects.requireNonNull(part, "part");
        this.resource = Objects.requireNonNull(resource, "resource");
        this.perCall = Objects.requireNonNull(perCall, "perCall");
        if (!perCall.isPositive()) {
            throw new IllegalArgumentException("the per-call time-out must be positive: " + perCall);
        }
        this.reader = Objects.requireNonNull(reader, "reader");
        // One client for every call to this downstream: it keeps the connections open between calls (a connection
        // pool) and a selector thread; close() ends both. HTTP/1.1: what the downstreams speak.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(perCall)
                .build();
    }

    /** The inventory downstream: {@code GET base/inventory/{id}}. */
    public static DownstreamHttpClient<Stock> inventory(URI base, Duration perCall) {
        return new DownstreamHttpClient<>(base, Part.INVENTORY, "inventory", perCall,
                body -> read(body, InventoryBody.class, b -> new Stock(b.available(), b.warehouse())));
    }

    /** The pricing downstream: {@code GET base/prices/{id}}. */
    public static DownstreamHttpClient<Price> pricing(URI base, Duration perCall) {
        return new DownstreamHttpClient<>(base, Part.PRICING, "prices", perCall,
                body -> read(body, PriceBody.class, b -> new Price(b.amountCents(), b.currency())));
    }

    /** The reviews downstream: {@code GET base/reviews/{id}}. */
    public static DownstreamHttpClient<ReviewSummary> reviews(URI base, Duration perCall) {
        return new DownstreamHttpClient<>(base, Part.REVIEWS, "reviews", perCall,
                body -> read(body, ReviewsBody.class, b -> new ReviewSummary(b.averageStars(), b.count())));
    }

    /** The recommendations downstream: {@code GET base/recommendations/{id}}. */
    public static DownstreamHttpClient<Recommendations> recommendations(URI base, Duration perCall) {
        return new DownstreamHttpClient<>(base, Part.RECOMMENDATIONS, "recommendations", perCall,
                body -> read(body, RecommendationsBody.class,
                        b -> new Recommendations(b.productIds().stream().map(ProductId::new).toList())));
    }

    /** Parses the body as {@code type} and makes the domain's value of it; any problem is the body's. */
    private static <B, T> T read(String body, Class<B> type, Function<B, T> toDomain) {
        try {
            B parsed = JSON.readValue(body, type);
            if (parsed == null) {
                throw new IllegalArgumentException("not a JSON object: " + body);
            }
            return toDomain.apply(parsed); // the domain's records check their fields
        } catch (JacksonException | NullPointerException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The part this client serves. */
    public Part part() {
        return part;
    }

    /**
     * Asks the downstream about one product: the port's method ({@code client::fetch} is the port). Blocks until it
     * answers, fails, or the per-call time-out passes.
     *
     * @throws DownstreamException  {@link Kind#NOT_FOUND} on a 404; {@link Kind#TIMED_OUT} when no answer came
     *                              within the per-call time-out; {@link Kind#FAILED} on any other status (the message
     *                              names it), a 200 whose body cannot be read, or a connection that could not be made
     *                              or broke
     * @throws InterruptedException if the calling thread is interrupted while it waits: the exchange is abandoned
     *                              (its connection closed), and nothing of it runs on after this method has thrown
     */
    public T fetch(ProductId id) throws DownstreamException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(resource + "/" + id.value()))
                .timeout(perCall) // the per-call deadline: Go's context.WithTimeout around client.Do
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            // send() answers interruption: it cancels the exchange and throws InterruptedException (its Javadoc)
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) { // before IOException: it is one
            throw new DownstreamException(part, Kind.TIMED_OUT, "no answer within " + perCall.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new DownstreamException(part, Kind.FAILED, "the call failed: " + e, e);
        }
        int status = response.statusCode();
        if (status == 404) {
            throw new DownstreamException(part, Kind.NOT_FOUND, "status 404, no such product: " + id);
        }
        if (status != 200) {
            throw new DownstreamException(part, Kind.FAILED, "status " + status + ": " + abbreviate(response.body()));
        }
        try {
            return reader.read(response.body());
        } catch (IllegalArgumentException e) {
            throw new DownstreamException(part, Kind.FAILED, "status 200 with a body that cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 80 ? body : body.substring(0, 80) + "...";
    }

    /** Closes the client's connections and ends its threads; waits for calls in flight. Idempotent. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "DownstreamHttpClient[" + part.label() + " at " + base + resource + "/, " + perCall.toMillis() + " ms]";
    }
}
