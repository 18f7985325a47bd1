package workshop.scenarios.aggregation.downstreams;

import java.util.Objects;

/**
 * How one simulated downstream behaves: how long it takes, and how often it fails with a 5xx. A call that fails takes
 * its drawn time too (a downstream that fails slowly is the usual kind), then answers 500 or 503, half and half.
 *
 * @param latency     the time to answer, drawn per call
 * @param failureRate the share of calls that fail, 0 to 1
 */
public record Profile(Latency latency, double failureRate) {

    public Profile {
        Objects.requireNonNull(latency, "latency");
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("the failure rate must be within 0..1: " + failureRate);
        }
    }

    /** Never fails, with this latency. */
    public static Profile of(Latency latency) {
        return new Profile(latency, 0);
    }

    /** This latency, failing {@code rate} of the calls (0 to 1). */
    public Profile failing(double rate) {
        return new Profile(latency, rate);
    }

    @Override
    public String toString() {
        return failureRate == 0 ? latency.toString() : latency + "; " + Latency.percent(failureRate) + " fail (5xx)";
    }
}
