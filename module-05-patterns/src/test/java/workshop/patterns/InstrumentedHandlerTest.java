package workshop.patterns;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;
import workshop.patterns.InstrumentedHandler.Handler;
import workshop.patterns.InstrumentedHandler.Request;
import workshop.patterns.InstrumentedHandler.Response;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.patterns.InstrumentedHandler.LATENCY;
import static workshop.patterns.InstrumentedHandler.MDC_REQUEST_ID;
import static workshop.patterns.InstrumentedHandler.OUTCOME;
import static workshop.patterns.InstrumentedHandler.REQUESTS;
import static workshop.patterns.InstrumentedHandler.REQUEST_ID;
import static workshop.support.testing.Parked.PATIENCE;

@Tag("05.12")
@DisplayName("05.12 Metrics and logs that help")
class InstrumentedHandlerTest {

    /** A failure of the wrapped handler, of a type no stub throws. */
    static final class Boom extends RuntimeException {
        Boom() {
            super("boom (the test's handler failed on purpose)");
        }
    }

    private final MockClock clock = new MockClock();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    private final InstrumentedHandlerLogs handlerLog = new InstrumentedHandlerLogs("workshop.test0512.handler");
    private final InstrumentedHandlerLogs innerLog = new InstrumentedHandlerLogs("workshop.test0512.inner");

    @BeforeEach
    void clearMdc() {
        MDC.clear();
    }

    @AfterEach
    void detachLogs() {
        handlerLog.close();
        innerLog.close();
        registry.close();
        MDC.clear();
    }

    private InstrumentedHandler instrument(Handler handler) {
        return new InstrumentedHandler(handler, registry, handlerLog.logger());
    }

    /** A handler that takes {@code millis} on the registry's clock and answers {@code status}. */
    private Handler taking(long millis, int status) {
        return request -> {
            clock.add(Duration.ofMillis(millis));
            return new Response(status, "ok");
        };
    }

    private static Request request(int n) {
        return new Request("req-" + n, "user-" + n, "/users/user-" + n + "/orders");
    }

    private Timer latencyTimerOrFail() {
        Timer timer = registry.find(LATENCY).timer();
        assertThat(timer).as("[05.12] no Timer named %s in the registry given to the constructor. Meters registered "
                + "elsewhere (Metrics.globalRegistry, a registry of your own) are invisible to whoever scrapes this "
                + "one (README 05.12)", LATENCY).isNotNull();
        return timer;
    }

    private double requestsCounted(String outcome) {
        return registry.find(REQUESTS).tag(OUTCOME, outcome).counters().stream().mapToDouble(Counter::count).sum();
    }

    private long latencyCount() {
        return registry.find(LATENCY).timers().stream().mapToLong(Timer::count).sum();
    }

    private double latencyTotalMillis() {
        return registry.find(LATENCY).timers().stream().mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum();
    }

    private static String requestIdOf(ILoggingEvent event) {
        String fromMdc = event.getMDCPropertyMap().get(MDC_REQUEST_ID);
        return fromMdc != null ? fromMdc : keyValue(event, MDC_REQUEST_ID);
    }

    private static String keyValue(ILoggingEvent event, String key) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return null;
        }
        return pairs.stream().filter(p -> p.key.equals(key)).map(p -> Objects.toString(p.value)).findFirst()
                .orElse(null);
    }

    @Nested
    @DisplayName("metrics")
    class Metrics {

        private static final Pattern SAMPLE = Pattern.compile(
                "^handler_latency_seconds(_bucket)?\\{([^}]*)}\\s+(\\S+)");
        private static final Pattern LABEL = Pattern.compile("(quantile|le)=\"([^\"]+)\"");

        /** The p-quantile from the scrape: its quantile line if there is one, else from the histogram's buckets. */
        private static Double quantileMillis(String scrape, double q) {
            Map<Double, Double> quantiles = new TreeMap<>();
            Map<Double, Double> buckets = new TreeMap<>(); // le -> cumulative count
            for (String line : scrape.split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.find()) {
                    continue;
                }
                Matcher label = LABEL.matcher(sample.group(2));
                if (!label.find()) {
                    continue;
                }
                String bound = label.group(2);
                double key = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                double value = Double.parseDouble(sample.group(3));
                (label.group(1).equals("quantile") ? quantiles : buckets).merge(key, value, Double::sum);
            }
            if (quantiles.containsKey(q)) {
                return quantiles.get(q) * 1000;
            }
            if (buckets.isEmpty()) {
                return null;
            }
            // Prometheus' histogram_quantile: linear interpolation inside the bucket that holds the rank
            double total = buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
            double rank = q * total;
            double lowerBound = 0;
            double below = 0;
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                if (bucket.getValue() >= rank) {
                    if (bucket.getKey().isInfinite()) {
                        return lowerBound * 1000;
                    }
                    double inBucket = bucket.getValue() - below;
                    double fraction = inBucket == 0 ? 1 : (rank - below) / inBucket;
                    return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000;
                }
                lowerBound = bucket.getKey();
                below = bucket.getValue();
            }
            return null;
        }

        @Test
        @DisplayName("the scrape exports p50, p95 and p99 (quantiles or histogram buckets) close to the true ones")
        void exportsLatencyPercentiles() {
            InstrumentedHandler handler = instrument(request -> { // request n takes n ms
                clock.add(Duration.ofMillis(Long.parseLong(request.requestId().substring("req-".length()))));
                return new Response(200, "ok");
            });
            for (int n = 1; n <= 100; n++) {
                handler.handle(request(n));
            }
            latencyTimerOrFail();
            assertThat(latencyCount()).as("[05.12] requests counted by the %s timer after 100 requests (README 05.12)",
                    LATENCY).isEqualTo(100);
            assertThat(latencyTotalMillis()).as("[05.12] total latency on the %s timer, in ms, of 100 requests that "
                    + "took 1 to 100 ms on the registry's clock (a MockClock): 5050. Measure on the registry's clock "
                    + "(Timer.start(registry), registry.config().clock()), not System.nanoTime() (README 05.12)",
                    LATENCY).isCloseTo(5050.0, Offset.offset(1.0));

            String scrape = registry.scrape();
            double[][] expected = {{0.5, 50, 40, 62}, {0.95, 95, 85, 110}, {0.99, 99, 88, 115}};
            for (double[] e : expected) {
                Double measured = quantileMillis(scrape, e[0]);
                assertThat(measured).as("[05.12] the Prometheus scrape has neither a quantile=\"%s\" line nor "
                        + "_bucket{le=...} lines for handler_latency_seconds: a Timer exports only its count, sum and "
                        + "max unless it publishes percentiles (publishPercentiles) or a histogram "
                        + "(publishPercentileHistogram) (README 05.12). The scrape:%n%s", e[0], scrape).isNotNull();
                assertThat(measured).as("[05.12] p%s of 100 requests taking 1, 2, ... 100 ms should be about %.0f ms, "
                        + "the scrape says %.1f ms (README 05.12)", Math.round(e[0] * 100), e[1], measured)
                        .isBetween(e[2], e[3]);
            }
        }

        @ParameterizedTest(name = "status {0} counts as {1}")
        @CsvSource({"200, success", "204, success", "302, success", "404, client_error", "429, client_error",
                "500, server_error", "503, server_error"})
        @DisplayName("counts each request once, by its outcome")
        void countsByOutcome(int status, String outcome) {
            InstrumentedHandler handler = instrument(taking(5, status));

            Response response = handler.handle(request(1));

            assertThat(response.status()).as("[05.12] the status the wrapped handler answered (README 05.12)")
                    .isEqualTo(status);
            latencyTimerOrFail();
            assertThat(requestsCounted(outcome)).as("[05.12] one request answered %d: the %s counter tagged "
                    + "%s=%s (README 05.12)", status, REQUESTS, OUTCOME, outcome).isEqualTo(1.0);
            double all = registry.find(REQUESTS).counters().stream().mapToDouble(Counter::count).sum();
            assertThat(all).as("[05.12] one request: increments of the %s counter over all its tags (README 05.12)",
                    REQUESTS).isEqualTo(1.0);
        }

        @Test
        @DisplayName("a handler that throws: the very exception is rethrown, counted as 'exception', and timed")
        void countsAndTimesAThrowAndRethrowsIt() {
            Boom boom = new Boom();
            InstrumentedHandler handler = instrument(request -> {
                clock.add(Duration.ofMillis(30));
                throw boom;
            });

            RuntimeException thrown = null;
            try {
                handler.handle(request(1));
            } catch (NotSolvedYet e) {
                throw e;
            } catch (RuntimeException e) {
                thrown = e;
            }

            assertThat(thrown).as("[05.12] the wrapped handler threw; the instrumented one should rethrow that very "
                    + "exception, not swallow it, answer a status instead or wrap it (README 05.12)").isSameAs(boom);
            latencyTimerOrFail();
            assertThat(requestsCounted("exception")).as("[05.12] a request whose handler threw: the %s counter tagged "
                    + "%s=exception (README 05.12)", REQUESTS, OUTCOME).isEqualTo(1.0);
            assertThat(latencyCount()).as("[05.12] a request whose handler threw after 30 ms was not timed: the "
                    + "latency of failures matters most. Stop the timer in a finally or a catch (README 05.12)")
                    .isEqualTo(1);
            assertThat(latencyTotalMillis()).as("[05.12] the latency recorded for a handler that threw after 30 ms "
                    + "on the registry's clock (README 05.12)").isCloseTo(30.0, Offset.offset(1.0));
        }

        @Test
        @DisplayName("labels stay few: 1000 requests from 1000 users on 1000 paths make a handful of time series")
        void labelsStayFew() {
            InstrumentedHandler handler = instrument(taking(1, 200));
            for (int n = 0; n < 1000; n++) {
                handler.handle(request(n));
            }
            latencyTimerOrFail();

            List<Meter> series = registry.getMeters().stream()
                    .filter(m -> Set.of(LATENCY, REQUESTS).contains(m.getId().getName())).toList();
            List<String> examples = series.stream().limit(3).map(m -> m.getId().toString()).toList();
            assertThat(series.size()).as("[05.12] 1000 requests from 1000 users made %d time series of %s and %s "
                    + "(for example %s): never label by user, request id or raw path. Each label value is a series "
                    + "that Prometheus stores for ever; put such values in log lines instead (README 05.12)",
                    series.size(), LATENCY, REQUESTS, examples).isLessThanOrEqualTo(12);
        }
    }

    @Nested
    @DisplayName("logs")
    class Logs {

        @Test
        @DisplayName("one structured line per request: the request id, the outcome and the status")
        void oneStructuredLinePerRequest() throws Exception {
            InstrumentedHandler handler = instrument(taking(5, 200));

            handler.handle(request(7));

            List<ILoggingEvent> lines = handlerLog.events();
            assertThat(lines).as("[05.12] lines logged on the constructor's logger for one request: expected one "
                    + "(README 05.12)").hasSize(1);
            ILoggingEvent line = lines.getFirst();
            assertThat(requestIdOf(line)).as("[05.12] the handler's line for request req-7 should carry %s=req-7 "
                    + "(in the MDC, or as a key-value pair); it has MDC %s and key-value pairs %s (README 05.12)",
                    MDC_REQUEST_ID, line.getMDCPropertyMap(), line.getKeyValuePairs()).isEqualTo("req-7");
            assertThat(keyValue(line, OUTCOME)).as("[05.12] the handler's line should carry the key-value pair "
                    + "outcome=success (SLF4J's fluent API: atInfo().addKeyValue(...)), not only text in the message: "
                    + "it has %s, message '%s' (README 05.12)", line.getKeyValuePairs(), line.getFormattedMessage())
                    .isEqualTo("success");
            assertThat(keyValue(line, "status")).as("[05.12] the handler's line should carry the key-value pair "
                    + "status=200 (README 05.12)").isEqualTo("200");

            JsonEncoder json = new JsonEncoder();
            json.setContext(handlerLog.context());
            json.start();
            String encoded = new String(json.encode(line), StandardCharsets.UTF_8);
            assertThat(encoded).as("[05.12] the line through Logback's JsonEncoder (README 05.12)")
                    .contains("\"req-7\"").contains("\"outcome\"").contains("\"success\"");
        }

        @Test
        @DisplayName("the request id is in every line the wrapped handler logs, and in REQUEST_ID while it runs")
        void requestIdReachesTheWrappedHandlersLines() {
            List<String> seenInScope = new ArrayList<>();
            InstrumentedHandler handler = instrument(request -> {
                innerLog.logger().info("loading the orders of {}", request.userId());
                seenInScope.add(REQUEST_ID.isBound() ? REQUEST_ID.get() : "unbound");
                innerLog.logger().atInfo().addKeyValue("rows", 3).log("orders loaded");
                return new Response(200, "3 orders");
            });

            handler.handle(request(1));
            handler.handle(request(2));

            assertThat(seenInScope).as("[05.12] InstrumentedHandler.REQUEST_ID as the wrapped handler saw it during "
                    + "requests req-1 and req-2: bind it around the call (ScopedValue.where(...).call(...)) "
                    + "(README 05.12)").containsExactly("req-1", "req-2");
            List<ILoggingEvent> lines = innerLog.events();
            assertThat(lines).as("[05.12] lines the wrapped handler logged (README 05.12)").hasSize(4);
            List<String> ids = lines.stream().map(e -> String.valueOf(e.getMDCPropertyMap().get(MDC_REQUEST_ID)))
                    .toList();
            assertThat(ids).as("[05.12] %s in the MDC of the 4 lines the wrapped handler logged during requests "
                    + "req-1 and req-2: the request id is missing from the lines of the code you wrap. A key-value "
                    + "pair on your own line reaches only that line; put the id in the thread's MDC for the "
                    + "duration of the call (README 05.12)", MDC_REQUEST_ID)
                    .containsExactly("req-1", "req-1", "req-2", "req-2");
        }

        @Test
        @DisplayName("nothing leaks into the next request on a reused platform thread, even after a throw")
        void nothingLeaksOnAReusedThread() throws InterruptedException {
            InstrumentedHandler ok = instrument(taking(1, 200));
            InstrumentedHandler failing = instrument(request -> {
                innerLog.logger().warn("about to fail");
                throw new Boom();
            });
            org.slf4j.Logger between = innerLog.logger();
            List<String> unboundBetween = new ArrayList<>();

            Background<Void> thread = Background.run("[05.12] two requests on one platform thread", () -> {
                ok.handle(request(1));
                between.info("between requests");
                unboundBetween.add(REQUEST_ID.isBound() ? REQUEST_ID.get() : "unbound");
                try {
                    failing.handle(request(2));
                } catch (Boom expected) {
                    // counted and logged by the handler
                }
                between.info("after a request that threw");
            });
            thread.await(PATIENCE);

            List<ILoggingEvent> lines = innerLog.events();
            assertThat(lines).as("[05.12] lines logged by the test on its thread (README 05.12)").hasSize(3);
            assertThat(lines.get(0).getMDCPropertyMap().get(MDC_REQUEST_ID)).as("[05.12] a line logged on the same "
                    + "platform thread after request req-1 had returned still carried %s in the MDC: the id leaks "
                    + "into whatever that thread does next (a pooled thread serves many requests). Remove it in a "
                    + "finally (README 05.12)", MDC_REQUEST_ID).isNull();
            assertThat(unboundBetween).as("[05.12] InstrumentedHandler.REQUEST_ID between two requests on one "
                    + "thread (README 05.12)").containsExactly("unbound");
            assertThat(lines.get(1).getMDCPropertyMap().get(MDC_REQUEST_ID)).as("[05.12] the wrapped handler's line "
                    + "during request req-2 (README 05.12)").isEqualTo("req-2");
            assertThat(lines.get(2).getMDCPropertyMap().get(MDC_REQUEST_ID)).as("[05.12] a line logged on the same "
                    + "thread after request req-2 had thrown still carried %s in the MDC: clean up in a finally, "
                    + "so that a throw cleans up too (README 05.12)", MDC_REQUEST_ID).isNull();
            assertThat(handlerLog.events()).as("[05.12] the handler's lines for a request that returned and one that "
                    + "threw (README 05.12)").hasSize(2);
            ILoggingEvent failed = handlerLog.events().get(1);
            assertThat(keyValue(failed, OUTCOME)).as("[05.12] the handler's line for a request whose handler threw "
                    + "should carry outcome=exception (README 05.12)").isEqualTo("exception");
            assertThat(requestIdOf(failed)).as("[05.12] the handler's line for request req-2, which threw, should "
                    + "carry its request id (README 05.12)").isEqualTo("req-2");
            assertThat(failed.getLevel().isGreaterOrEqual(Level.WARN) && failed.getThrowableProxy() != null)
                    .as("[05.12] the handler's line for a request whose handler threw was at %s with %s: log it at "
                    + "WARN (or ERROR) with the exception attached (setCause), so that its stack trace is in the log "
                    + "(README 05.12)", failed.getLevel(), failed.getThrowableProxy() == null ? "no exception"
                    : failed.getThrowableProxy().getClassName()).isTrue();
        }

        @Test
        @DisplayName("the caller's own MDC entries stay, during the request and after it")
        void keepsTheCallersMdc() {
            InstrumentedHandler handler = instrument(request -> {
                innerLog.logger().info("handling");
                return new Response(200, "ok");
            });
            MDC.put("tenant", "acme");
            try {
                handler.handle(request(1));

                assertThat(MDC.get("tenant")).as("[05.12] the caller put tenant=acme in its MDC before the request; "
                        + "after it, the entry was gone: MDC.clear() removes what is not yours. Remove only the key "
                        + "you put (README 05.12)").isEqualTo("acme");
                Map<String, String> during = innerLog.events().getFirst().getMDCPropertyMap();
                assertThat(during).as("[05.12] the MDC of the wrapped handler's line (README 05.12)")
                        .containsEntry("tenant", "acme").containsEntry(MDC_REQUEST_ID, "req-1");
            } finally {
                MDC.remove("tenant");
            }
        }
    }

    /** Everything logged on a test's own logger, captured with its MDC as it was when the line was logged. */
    static final class InstrumentedHandlerLogs extends ch.qos.logback.core.AppenderBase<ILoggingEvent>
            implements AutoCloseable {
        private final ch.qos.logback.classic.Logger logger;
        private final List<ILoggingEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        InstrumentedHandlerLogs(String name) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            this.logger = context.getLogger(name);
            setContext(context);
            setName("05.12 " + name);
            start();
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false); // quiet: nothing reaches the root logger's appenders
            logger.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // the MDC and the thread's name, now, not when the test looks
            events.add(event);
        }

        org.slf4j.Logger logger() {
            return logger;
        }

        LoggerContext context() {
            return (LoggerContext) getContext();
        }

        List<ILoggingEvent> events() {
            return List.copyOf(events);
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            stop();
        }
    }
}
