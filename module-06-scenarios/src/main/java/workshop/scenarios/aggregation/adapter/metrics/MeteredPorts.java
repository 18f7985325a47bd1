package workshop.scenarios.aggregation.adapter.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import workshop.scenarios.aggregation.application.DownstreamException;
import workshop.scenarios.aggregation.application.InventoryPort;
import workshop.scenarios.aggregation.application.PricingPort;
import workshop.scenarios.aggregation.application.ProductPages;
import workshop.scenarios.aggregation.application.RecommendationsPort;
import workshop.scenarios.aggregation.application.ReviewsPort;
import workshop.scenarios.aggregation.domain.Part;
import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Exercise 06.8: Metrics for every downstream
 *
 * <p>Decorators that wrap each downstream port and the inbound {@link ProductPages} and record every call into a
 * Micrometer registry, which {@code Main} owns and scrapes for {@code GET /metrics}: a latency histogram per
 * downstream and one end to end, with buckets at the budgets, and a counter per outcome. Labels stay few: the
 * downstream and the outcome, never the product or the request.
 *
 * <pre>{@code
 * var downstreamSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
 *     Name:    "aggregation_downstream_seconds",
 *     Buckets: []float64{.01, .025, .05, .1, .12, .15, .2, .3, .5, 1},
 * }, []string{"downstream", "outcome"})
 *
 * func metered(name string, next StockFunc) StockFunc { // type StockFunc func(context.Context, string) (Stock, error)
 *     return func(ctx context.Context, id string) (Stock, error) {
 *         start := time.Now()
 *         s, err := call(ctx, id)
 *         downstreamSeconds.WithLabelValues(name, outcomeOf(err)).Observe(time.Since(start).Seconds())
 *         return s, err // context.Canceled is an outcome too: "cancelled"
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe: the decorators are called by many requests at once; every meter is registered in the constructor,
 * so a call only looks one up and records into it.
 */
public final class MeteredPorts {

    /** Per downstream call: {@code aggregation_downstream_seconds{downstream, outcome}}, a histogram. */
    public static final String DOWNSTREAM_SECONDS = "aggregation.downstream";

    /** Per downstream call: {@code aggregation_downstream_calls_total{downstream, outcome}}. */
    public static final String DOWNSTREAM_CALLS = "aggregation.downstream.calls";

    /** Per request, end to end: {@code aggregation_request_seconds{outcome}}, a histogram. */
    public static final String REQUEST_SECONDS = "aggregation.request";

    /** Per request: {@code aggregation_requests_total{outcome}}. */
    public static final String REQUESTS = "aggregation.requests";

    /** The label naming the downstream: a {@link Part#label()}. */
    public static final String DOWNSTREAM = "downstream";

    /** The label naming how a call or a request ended. */
    public static final String OUTCOME = "outcome";

    /** How a downstream call ends: its value, a {@link DownstreamException.Kind}, or an interrupt. */
    public static final List<String> DOWNSTREAM_OUTCOMES =
            List.of("ok", "not_found", "failed", "timed_out", "rejected", "cancelled");

    /**
     * How a request ends: a page ({@code ok}, or {@code degraded} when it omits a part), a failure of the page
     * ({@code not_found}, {@code unavailable}, {@code timed_out}), an interrupt ({@code cancelled}: the client went
     * away) or an exception the use case did not expect ({@code error}).
     */
    public static final List<String> REQUEST_OUTCOMES =
            List.of("ok", "degraded", "not_found", "unavailable", "timed_out", "cancelled", "error");

    /** The histograms' bucket bounds: around the budgets (120 ms optional, 150 ms required, 200 ms a request). */
    public static final List<Duration> BUCKETS = List.of(Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(120), Duration.ofMillis(150),
            Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(1));

    private final MeterRegistry registry;

    /**
     * Registers every meter in {@code registry}: for each downstream and each of {@link #DOWNSTREAM_OUTCOMES}, a
     * {@code Timer} named {@link #DOWNSTREAM_SECONDS} that publishes a histogram with buckets at {@link #BUCKETS}
     * and a {@code Counter} named {@link #DOWNSTREAM_CALLS}, both tagged {@link #DOWNSTREAM} and {@link #OUTCOME};
     * for each of {@link #REQUEST_OUTCOMES}, the same pair named {@link #REQUEST_SECONDS} and {@link #REQUESTS},
     * tagged {@link #OUTCOME}. No tag whose values grow with the traffic (a product id, a request id).
     *
     * @param registry where the meters go ({@code Main} serves its scrape on {@code /metrics}); durations are read on
     *                 its clock ({@code registry.config().clock()}), so a test's {@code MockClock} makes them exact
     */
    public MeteredPorts(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        // TODO 06.8: which meters, with which tags and buckets? Registered once here, found again on every call
    }

    /** The inventory port, metered as {@code downstream="inventory"}. */
    public InventoryPort inventory(InventoryPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.8: time the call on the registry's clock, then record its outcome, whichever way it ends
        throw new NotSolvedYet("06.8");
    }

    /** The pricing port, metered as {@code downstream="pricing"}. */
    public PricingPort pricing(PricingPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.8: as inventory(...): one way to meter a call serves the four ports
        throw new NotSolvedYet("06.8");
    }

    /** The reviews port, metered as {@code downstream="reviews"}. */
    public ReviewsPort reviews(ReviewsPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.8: as inventory(...)
        throw new NotSolvedYet("06.8");
    }

    /** The recommendations port, metered as {@code downstream="recommendations"}. */
    public RecommendationsPort recommendations(RecommendationsPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.8: as inventory(...)
        throw new NotSolvedYet("06.8");
    }

    /**
     * The use case, metered end to end: the time of {@link ProductPages#load} and its outcome.
     *
     * <p>Each decorator returns what the wrapped one returned and throws the very exception it threw, after
     * recording the call: an {@link InterruptedException} is recorded as {@code cancelled} and rethrown, and an
     * interrupt status the wrapped call left set stays set.
     */
    public ProductPages pages(ProductPages pages) {
        Objects.requireNonNull(pages, "pages");
        // TODO 06.8: time load(...) and record the decision's outcome: a page, a degraded page, a failure, a cut
        throw new NotSolvedYet("06.8");
    }
}
