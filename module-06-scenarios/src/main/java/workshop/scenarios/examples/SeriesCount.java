package workshop.scenarios.examples;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;

/**
 * What a latency histogram per downstream costs in time series, counted in the scrape: Micrometer's predefined
 * buckets against a few explicit ones around the budgets, and what a product id as a label would add.
 */
public final class SeriesCount {

    private SeriesCount() {
    }

    static final List<String> DOWNSTREAMS = List.of("inventory", "pricing", "reviews", "recommendations");
    static final List<String> OUTCOMES = List.of("ok", "not_found", "failed", "timed_out", "rejected", "cancelled");

    // tag::buckets[]
    static Timer.Builder predefinedBuckets(String downstream, String outcome) {
        return Timer.builder("downstream.latency").tag("downstream", downstream).tag("outcome", outcome)
                .publishPercentileHistogram()                    // Micrometer's buckets, clipped to the range
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(2));
    }

    static Timer.Builder bucketsAroundTheBudgets(String downstream, String outcome) {
        return Timer.builder("downstream.latency").tag("downstream", downstream).tag("outcome", outcome)
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(120),
                        Duration.ofMillis(150), Duration.ofMillis(200), Duration.ofMillis(300)); // le="0.12", ...
    }
    // end::buckets[]

    interface Builders {
        Timer.Builder of(String downstream, String outcome);
    }

    static long series(Builders builders, int productIds) {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            for (String downstream : DOWNSTREAMS) {
                for (String outcome : OUTCOMES) {
                    for (int id = 0; id < Math.max(1, productIds); id++) {
                        Timer.Builder b = builders.of(downstream, outcome);
                        if (productIds > 0) {
                            b.tag("product", "p-" + id);
                        }
                        b.register(registry).record(Duration.ofMillis(80));
                    }
                }
            }
            return registry.scrape().lines().filter(l -> l.startsWith("downstream_latency_seconds")).count();
        } finally {
            registry.close();
        }
    }

    public static void main(String[] args) {
        System.out.println("4 downstreams x 6 outcomes, predefined buckets 1 ms..2 s: "
                + series(SeriesCount::predefinedBuckets, 0) + " series");
        System.out.println("4 downstreams x 6 outcomes, 6 buckets around the budgets: "
                + series(SeriesCount::bucketsAroundTheBudgets, 0) + " series");
        System.out.println("the same with a product label, 100 products: "
                + series(SeriesCount::bucketsAroundTheBudgets, 100) + " series");
    }
}
