package workshop.patterns.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics and logs with the field's libraries: a Micrometer timer with percentiles in a Prometheus scrape (Go's
 * {@code client_golang}), what a per-user label does to the number of time series, and a structured log line with
 * SLF4J's fluent API, written as JSON by Logback (Go's {@code log/slog} with a {@code JSONHandler}).
 */
public final class Observability {

    private Observability() {
    }

    public static void main(String[] args) {
        jsonLinesOnStdout();
        percentilesInAScrape();
        seriesPerLabel();
        structuredLine();
    }

    static void percentilesInAScrape() {
        // tag::prometheus-timer[]
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer latency = Timer.builder("demo.latency")          // handler_latency_seconds in the scrape
                .description("time to handle a request")
                .publishPercentiles(0.5, 0.95, 0.99)           // computed in this process: quantile="0.5", ...
                .register(registry);
        for (int millis = 1; millis <= 100; millis++) {
            latency.record(Duration.ofMillis(millis));         // 100 requests: 1 ms, 2 ms, ... 100 ms
        }
        System.out.print(registry.scrape());                   // what Prometheus reads from GET /metrics
        // end::prometheus-timer[]

        // tag::prometheus-histogram[]
        Timer both = Timer.builder("demo.latency.both")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()                  // buckets: le="0.001", ... le="+Inf"
                .register(registry);
        both.record(Duration.ofMillis(42));
        List<String> lines = registry.scrape().lines().filter(line -> line.startsWith("demo_latency_both")).toList();
        System.out.printf("demo_latency_both_seconds: %d bucket lines, %d quantile lines%n",
                lines.stream().filter(line -> line.contains("_bucket{")).count(),
                lines.stream().filter(line -> line.contains("quantile=")).count());
        // end::prometheus-histogram[]
        registry.close();
    }

    static void seriesPerLabel() {
        // tag::cardinality[]
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        for (int user = 0; user < 1000; user++) {              // 1000 requests from 1000 users
            registry.counter("requests.by.user", "user", "user-" + user).increment();
            registry.counter("requests.by.outcome", "outcome", "success").increment();
        }
        Map<String, Integer> series = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            series.merge(meter.getId().getName(), 1, Integer::sum);
        }
        System.out.println("time series per meter: " + series); // {requests.by.outcome=1, requests.by.user=1000}
        // end::cardinality[]
        registry.close();
    }

    static void structuredLine() {
        // tag::slf4j-fluent[]
        Logger log = LoggerFactory.getLogger("demo.handler");
        log.atInfo()                                           // slog.Info("request handled",
                .addKeyValue("requestId", "req-7")             //     "request_id", "req-7",
                .addKeyValue("outcome", "success")             //     "outcome", "success",
                .addKeyValue("status", 200)                    //     "status", 200)
                .log("request handled");
        // end::slf4j-fluent[]
    }

    /**
     * Logback writes every line as one JSON object on standard output; in a {@code logback.xml}, the same is a
     * {@code ConsoleAppender} with {@code <encoder class="ch.qos.logback.classic.encoder.JsonEncoder"/>}.
     */
    static void jsonLinesOnStdout() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setEncoder(json);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(console);
        root.setLevel(Level.INFO);
    }
}
