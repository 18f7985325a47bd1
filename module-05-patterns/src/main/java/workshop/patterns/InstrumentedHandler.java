package workshop.patterns;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import workshop.support.NotSolvedYet;

import java.util.Objects;

/**
 * Exercise 05.12: Metrics and logs that help
 *
 * <p>A decorator that instruments any {@link Handler} (pass {@code instrumented::handle} where a {@code Handler} is
 * wanted): a latency timer with percentiles, a request counter labelled
 * by outcome only (a small, fixed set), and the request id in every log line written while the request runs,
 * including the lines the wrapped handler writes itself.
 *
 * <pre>{@code
 * var latency = promauto.NewHistogram(prometheus.HistogramOpts{Name: "handler_latency_seconds"})
 * var requests = promauto.NewCounterVec(prometheus.CounterOpts{Name: "handler_requests_total"}, []string{"outcome"})
 *
 * func instrument(next Handler) Handler {
 *     return func(ctx context.Context, r Request) (Response, error) {
 *         start := time.Now()
 *         log := slog.With("request_id", r.ID)     // and into ctx, for the code below
 *         resp, err := next(withLogger(ctx, log), r)
 *         latency.Observe(time.Since(start).Seconds())
 *         requests.WithLabelValues(outcomeOf(resp, err)).Inc()
 *         log.Info("request handled", "outcome", outcomeOf(resp, err))
 *         return resp, err
 *     }
 * }
 * }</pre>
 */
public final class InstrumentedHandler {

    /** What is being instrumented: a request in, a response out, or a (runtime) exception. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    /**
     * A request. The path is the raw one and may hold ids ({@code /users/42/orders}).
     *
     * @param requestId unique per request
     * @param userId    who sent it
     * @param path      what was asked for
     */
    public record Request(String requestId, String userId, String path) {
    }

    /** A response: an HTTP-like status code and a body. */
    public record Response(int status, String body) {
    }

    /** The latency timer's name ({@code handler_latency_seconds} in Prometheus' text format). */
    public static final String LATENCY = "handler.latency";

    /** The request counter's name ({@code handler_requests_total} in Prometheus' text format). */
    public static final String REQUESTS = "handler.requests";

    /** The request counter's one label, and the log line's key for it. */
    public static final String OUTCOME = "outcome";

    /** The key of the request id in SLF4J's MDC (and so in every log line written during the request). */
    public static final String MDC_REQUEST_ID = "requestId";

    /** The id of the request being handled, bound for the duration of the wrapped handler's call. */
    public static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance();

    private final Handler delegate;
    private final MeterRegistry registry;
    private final Logger logger;

    /**
     * Registers this handler's meters in {@code registry}:
     * <ul>
     *   <li>a {@code Timer} named {@link #LATENCY} that publishes the 0.5, 0.95 and 0.99 percentiles (or a percentile
     *       histogram, or both);</li>
     *   <li>a {@code Counter} named {@link #REQUESTS} with one tag, {@link #OUTCOME}, whose value is one of
     *       {@code success} (a status below 400), {@code client_error} (400 to 499), {@code server_error} (500 and
     *       above) or {@code exception} (the wrapped handler threw).</li>
     * </ul>
     * No meter carries a tag whose values grow with the traffic (a user, a request id, a raw path).
     *
     * @param delegate the handler to instrument
     * @param registry where the meters go; latency is measured on its clock ({@code registry.config().clock()}), so a
     *                 test's {@code MockClock} drives it
     * @param logger   where the one line per request goes
     */
    public InstrumentedHandler(Handler delegate, MeterRegistry registry, Logger logger) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.logger = Objects.requireNonNull(logger, "logger");
        // TODO 05.12: which meters, with which tags, and how will p50, p95 and p99 get out of the registry?
    }

    /**
     * Calls the wrapped handler and records the call:
     * <ul>
     *   <li>its latency on the {@link #LATENCY} timer, whether it returned or threw;</li>
     *   <li>one increment of the {@link #REQUESTS} counter, tagged with its outcome;</li>
     *   <li>one log line on the constructor's logger (INFO, or WARN with the exception when it threw) with the
     *       key-value pairs {@code outcome} and, when it returned, {@code status} (SLF4J's
     *       {@code addKeyValue}).</li>
     * </ul>
     * While it runs, {@link #REQUEST_ID} is bound to the request's id, and the thread's MDC holds it under
     * {@link #MDC_REQUEST_ID}, so every line logged on this thread during the request carries it: this method's line
     * and the wrapped handler's own. Afterwards the thread's MDC is as it was before, other keys included.
     *
     * @return what the wrapped handler returned
     * @throws RuntimeException the very exception the wrapped handler threw, after it was counted and logged
     */
    public Response handle(Request request) {
        // TODO 05.12: measure, count by outcome (a throw is an outcome too), log, and make the request id reach every
        //  line logged meanwhile on this thread, then leave the thread as you found it
        throw new NotSolvedYet("05.12");
    }
}
