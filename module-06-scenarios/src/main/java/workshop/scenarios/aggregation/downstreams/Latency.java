package workshop.scenarios.aggregation.downstreams;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a simulated downstream takes to answer: a log-normal body given by its median and its 99th percentile, and
 * optionally a tail, "{@code share} of the calls take {@code from}–{@code to}" (uniform), which a log-normal alone does
 * not give (real tails come from GC pauses, retries, a cold cache: a second mode, not a longer body).
 *
 * <p>Immutable and thread-safe; {@link #draw} uses only the generator it is given.
 *
 * @param median    the body's median, zero or positive (zero: no delay at all, the tail aside)
 * @param p99       the body's 99th percentile, at least {@code median}
 * @param tailShare the share of calls in the tail, 0 to 1
 * @param tailFrom  the tail's shortest delay
 * @param tailTo    the tail's longest delay, at least {@code tailFrom}
 */
public record Latency(Duration median, Duration p99, double tailShare, Duration tailFrom, Duration tailTo) {

    /** The z-score of the 99th percentile of a standard normal distribution. */
    private static final double Z99 = 2.3263478740408408;

    public Latency {
        Objects.requireNonNull(median, "median");
        Objects.requireNonNull(p99, "p99");
        Objects.requireNonNull(tailFrom, "tailFrom");
        Objects.requireNonNull(tailTo, "tailTo");
        if (median.isNegative() || p99.compareTo(median) < 0) {
            throw new IllegalArgumentException("need 0 <= median <= p99: " + median + ", " + p99);
        }
        if (!(tailShare >= 0 && tailShare <= 1)) {
            throw new IllegalArgumentException("the tail's share must be within 0..1: " + tailShare);
        }
        if (tailFrom.isNegative() || tailTo.compareTo(tailFrom) < 0) {
            throw new IllegalArgumentException("need 0 <= tailFrom <= tailTo: " + tailFrom + ", " + tailTo);
        }
    }

    /** No delay: the downstream answers as fast as the machine lets it. */
    public static Latency none() {
        return new Latency(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO);
    }

    /** Always {@code delay}. */
    public static Latency fixed(Duration delay) {
        return new Latency(delay, delay, 0, Duration.ZERO, Duration.ZERO);
    }

    /** Log-normal with this median and this 99th percentile, no tail. */
    public static Latency logNormal(Duration median, Duration p99) {
        return new Latency(median, p99, 0, Duration.ZERO, Duration.ZERO);
    }

    /** This body, plus a tail: {@code share} of the calls (0 to 1) take between {@code from} and {@code to}. */
    public Latency withTail(double share, Duration from, Duration to) {
        return new Latency(median, p99, share, from, to);
    }

    /** One delay, drawn with {@code random}. */
    public Duration draw(RandomGenerator random) {
        if (tailShare > 0 && random.nextDouble() < tailShare) {
            long from = tailFrom.toNanos();
            long to = tailTo.toNanos();
            return Duration.ofNanos(to == from ? from : random.nextLong(from, to + 1));
        }
        long m = median.toNanos();
        if (m == 0) {
            return Duration.ZERO;
        }
        double sigma = Math.log((double) p99.toNanos() / m) / Z99;
        return Duration.ofNanos(Math.round(m * Math.exp(sigma * random.nextGaussian())));
    }

    @Override
    public String toString() {
        String body = median.isZero() ? "no delay"
                : median.equals(p99) ? "always " + millis(median)
                : "log-normal, median " + millis(median) + ", p99 " + millis(p99);
        return tailShare == 0 ? body : "%s, plus %s of calls %s-%s".formatted(body, percent(tailShare),
                millis(tailFrom), millis(tailTo));
    }

    static String millis(Duration d) {
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + " ms" : "%.1f ms".formatted(d.toNanos() / 1e6);
    }

    static String percent(double share) {
        double p = share * 100;
        return (p == Math.rint(p) ? "%.0f" : "%.1f").formatted(p) + " %";
    }
}
