package workshop.patterns.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Prometheus metrics through Micrometer: a latency {@link Timer} published as a histogram (buckets a server can
 * add up across instances), what the scrape looks like, and what a per-user label does to the number of series.
 */
public final class Meters {

    private Meters() {
    }

    // tag::histogram[]
    static void latencyHistogram(PrometheusMeterRegistry registry) {
        Timer latency = Timer.builder("http.server.latency")          // promauto.NewHistogramVec(...)
                .description("time to answer a request")
                .tag("route", "/price/{sku}")                         // the route template, never the raw path
                .publishPercentileHistogram()                         // buckets: Prometheus computes quantiles
                .minimumExpectedValue(Duration.ofMillis(1))           // bound the buckets to the range you care for
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry);
        for (int ms = 1; ms <= 100; ms++) {
            latency.record(Duration.ofMillis(ms));                    // observe(seconds)
        }
    }
    // end::histogram[]

    // tag::cardinality[]
    static void perUserLabel(PrometheusMeterRegistry registry) {
        for (int user = 0; user < 1000; user++) {
            Counter.builder("requests.by.user")
                    .tag("user", "user-" + user)                      // one time series per user: do not
                    .register(registry)
                    .increment();
        }
        for (String outcome : new String[] {"success", "client_error", "server_error"}) {
            Counter.builder("requests")
                    .tag("outcome", outcome)                          // a few values, known in advance
                    .register(registry)
                    .increment();
        }
    }
    // end::cardinality[]

    public static void main(String[] args) {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        latencyHistogram(registry);
        perUserLabel(registry);
        String scrape = registry.scrape();                            // what GET /metrics returns
        scrape.lines().filter(l -> l.startsWith("http_server_latency_seconds") && !l.contains("_bucket{"))
                .forEach(System.out::println);
        System.out.println("latency buckets: "
                + scrape.lines().filter(l -> l.startsWith("http_server_latency_seconds_bucket{")).count());
        System.out.println("series of requests_by_user: "
                + scrape.lines().filter(l -> l.startsWith("requests_by_user_total{")).count()
                + ", of requests: " + scrape.lines().filter(l -> l.startsWith("requests_total{")).count());
        System.out.println("scrape size: " + scrape.length() + " characters");
    }
}
