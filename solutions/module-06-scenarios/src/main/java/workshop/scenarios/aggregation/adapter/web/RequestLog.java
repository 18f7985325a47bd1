package workshop.scenarios.aggregation.adapter.web;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import workshop.scenarios.aggregation.application.ProductPages;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.Part;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Exercise 06.9: One log line per request
 *
 * <p>A decorator of the server's handler that writes exactly one structured line per request, once its response is
 * decided (or the handler threw): the request id (the one the server sends back in {@code X-Request-Id}), method,
 * path, status, duration, and what the use case decided: the outcome, whether the page was degraded and which parts
 * it omitted. Key-value pairs (SLF4J's fluent API), not text: Logback's {@code JsonEncoder} turns them into JSON
 * fields that a log pipeline can filter on. A line per request, not per downstream call: the metrics count calls.
 *
 * <pre>{@code
 * func logged(next http.Handler) http.Handler {
 *     return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
 *         start, rec := time.Now(), &recorder{ResponseWriter: w, status: 200}
 *         defer func() { // after the response, and after a panic too
 *             slog.InfoContext(r.Context(), "request", "request_id", w.Header().Get("X-Request-Id"),
 *                 "method", r.Method, "path", r.URL.Path, "status", rec.status,
 *                 "duration_ms", time.Since(start).Milliseconds(), "degraded", rec.degraded)
 *         }()
 *         next.ServeHTTP(rec, r)
 *     })
 * }
 * }</pre>
 *
 * <p>It decorates the server's {@link Handler}: {@code Main} passes {@code log.wrap(routes)} to the
 * {@link WebServer}, and the endpoint a {@code log.notingDecisions(pages)}.
 *
 * <p>Thread-safe: one instance serves every request; each request's note of its decision is bound to that request
 * alone (a {@link ScopedValue}), never shared.
 */
public final class RequestLog {

    /** The line's message: always the same; what varies is in the key-value pairs. */
    public static final String MESSAGE = "request";

    /** The keys of the line's key-value pairs. */
    public static final String REQUEST_ID = "requestId", METHOD = "method", PATH = "path", STATUS = "status",
            DURATION_MS = "durationMs", OUTCOME = "outcome", DEGRADED = "degraded", OMITTED = "omitted";

    /** The status logged when the handler was interrupted because the client went away (no response was sent). */
    public static final int CLIENT_GONE = 499;

    /** The status logged when the handler threw: what the server answers then. */
    public static final int SERVER_ERROR = 500;

    /** What the use case decided during one request; written by {@link #notingDecisions}, read by the line. */
    private static final class Note {
        private volatile PageDecision decision;
    }

    private static final ScopedValue<Note> NOTE = ScopedValue.newInstance();

    private final Logger logger;
    private final LongSupplier nanoTime;

    /**
     * @param logger   where the lines go
     * @param nanoTime the clock durations are read on ({@code System::nanoTime}; a test's fake makes them exact)
     */
    public RequestLog(Logger logger, LongSupplier nanoTime) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * The use case, noting its decision for the line of the request it runs in (given: {@code Main} passes the
     * endpoint {@code log.notingDecisions(pages)}). Outside a request of {@link #wrap}, it only calls through.
     */
    public ProductPages notingDecisions(ProductPages pages) {
        Objects.requireNonNull(pages, "pages");
        return id -> {
            PageDecision decision = pages.load(id);
            if (NOTE.isBound()) {
                NOTE.get().decision = decision;
            }
            return decision;
        };
    }

    /** Runs the handler with a note bound for its decision (given). */
    private static Response handleNoting(Handler handler, Request request, Note note) throws InterruptedException {
        return ScopedValue.where(NOTE, note).call(() -> handler.handle(request));
    }

    /**
     * The handler, logged: calls it, then writes one line at INFO (WARN, with the exception, when it threw a runtime
     * exception) with the key-value pairs {@link #REQUEST_ID}, {@link #METHOD}, {@link #PATH}, {@link #STATUS},
     * {@link #DURATION_MS} (a number, on the constructor's clock), {@link #OUTCOME}, {@link #DEGRADED}
     * ({@code true}/{@code false}) and {@link #OMITTED} (the omitted parts' labels, comma-separated, in the order of
     * {@link Part}; empty when none), and the message {@link #MESSAGE}.
     *
     * <p>The outcome is the use case's decision when it made one: {@code ok}, {@code degraded}, {@code not_found},
     * {@code unavailable} or {@code timed_out}; else it follows the status: {@code ok} (below 400),
     * {@code client_error} (4xx), {@code server_error} (5xx). When the handler throws: {@code client_gone} with
     * status {@link #CLIENT_GONE} for an {@link InterruptedException}, {@code error} with status
     * {@link #SERVER_ERROR} for anything else; and the very exception is rethrown after the line.
     */
    public Handler wrap(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return request -> {
            long start = nanoTime.getAsLong();
            Note note = new Note();
            try {
                Response response = handleNoting(handler, request, note);
                line(request, start, response.status(), outcomeOf(note.decision, response.status()), note, null);
                return response;
            } catch (InterruptedException e) {
                line(request, start, CLIENT_GONE, "client_gone", note, null);
                throw e;
            } catch (RuntimeException | Error e) {
                line(request, start, SERVER_ERROR, "error", note, e);
                throw e;
            }
        };
    }

    private void line(Request request, long start, int status, String outcome, Note note, Throwable thrown) {
        double millis = (nanoTime.getAsLong() - start) / 1_000_000.0;
        PageDecision decision = note.decision;
        boolean degraded = decision instanceof PageDecision.Serve serve && serve.page().degraded();
        String omitted = decision instanceof PageDecision.Serve serve
                ? serve.page().omitted().stream().sorted().map(Part::label).collect(Collectors.joining(","))
                : "";
        LoggingEventBuilder line = logger.atLevel(thrown == null ? Level.INFO : Level.WARN)
                .addKeyValue(REQUEST_ID, request.requestId())
                .addKeyValue(METHOD, request.method())
                .addKeyValue(PATH, request.path())
                .addKeyValue(STATUS, status)
                .addKeyValue(DURATION_MS, millis)
                .addKeyValue(OUTCOME, outcome)
                .addKeyValue(DEGRADED, degraded)
                .addKeyValue(OMITTED, omitted);
        line.setCause(thrown).log(MESSAGE);
    }

    private static String outcomeOf(PageDecision decision, int status) {
        return switch (decision) {
            case null -> status >= 500 ? "server_error" : status >= 400 ? "client_error" : "ok";
            case PageDecision.Serve serve -> serve.page().degraded() ? "degraded" : "ok";
            case PageDecision.Fail fail -> switch (fail.kind()) {
                case NOT_FOUND -> "not_found";
                case UNAVAILABLE -> "unavailable";
                case TIMED_OUT -> "timed_out";
            };
        };
    }
}
