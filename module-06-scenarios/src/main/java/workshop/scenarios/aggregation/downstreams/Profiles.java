package workshop.scenarios.aggregation.downstreams;

import workshop.scenarios.aggregation.domain.Part;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How each of the four simulated downstreams behaves, and the seed of their random draws.
 *
 * @param seed  the seed: the {@code i}th request to a downstream draws the same latency and failure in every run
 *              with the same seed, whichever thread serves it
 * @param parts a profile per part (an unmodifiable copy with every part)
 */
public record Profiles(long seed, Map<Part, Profile> parts) {

    /** The seed of {@link #demo()} and {@link #benchmark()}. */
    public static final long DEFAULT_SEED = 20261203L;

    public Profiles {
        EnumMap<Part, Profile> copy = new EnumMap<>(Part.class);
        copy.putAll(parts);
        for (Part part : Part.values()) {
            Objects.requireNonNull(copy.get(part), () -> "no profile for " + part.label());
        }
        parts = Map.copyOf(copy);
    }

    /** Every downstream with this profile. */
    public static Profiles all(Profile profile) {
        EnumMap<Part, Profile> parts = new EnumMap<>(Part.class);
        for (Part part : Part.values()) {
            parts.put(part, profile);
        }
        return new Profiles(DEFAULT_SEED, parts);
    }

    /** For Main's demo mode and the tests: fast (log-normal, median 2 ms, p99 10 ms), no failures, no tail. */
    public static Profiles demo() {
        return all(Profile.of(Latency.logNormal(ms(2), ms(10))));
    }

    /**
     * For the load benchmark, against the standard budgets (200 ms a request; 150 ms a required call, 120 ms an
     * optional one):
     * <ul>
     * <li>inventory: log-normal, median 5 ms, p99 30 ms;</li>
     * <li>pricing: log-normal, median 8 ms, p99 40 ms, and <b>2 % of the calls fail</b> (500/503): a required part, so
     *     those requests fail;</li>
     * <li>reviews: log-normal, median 15 ms, p99 80 ms, and a <b>tail: 3 % of the calls take 250–400 ms</b>, past the
     *     whole request's budget: an optional part, so those pages are served degraded when its budget runs out;</li>
     * <li>recommendations: log-normal, median 10 ms, p99 60 ms.</li>
     * </ul>
     */
    public static Profiles benchmark() {
        return new Profiles(DEFAULT_SEED, Map.of(
                Part.INVENTORY, Profile.of(Latency.logNormal(ms(5), ms(30))),
                Part.PRICING, Profile.of(Latency.logNormal(ms(8), ms(40))).failing(0.02),
                Part.REVIEWS, Profile.of(Latency.logNormal(ms(15), ms(80)).withTail(0.03, ms(250), ms(400))),
                Part.RECOMMENDATIONS, Profile.of(Latency.logNormal(ms(10), ms(60)))));
    }

    /** The profile of one part's downstream. */
    public Profile of(Part part) {
        return parts.get(part);
    }

    /** A copy with {@code part}'s downstream on {@code profile}. */
    public Profiles with(Part part, Profile profile) {
        EnumMap<Part, Profile> copy = new EnumMap<>(parts);
        copy.put(part, Objects.requireNonNull(profile, "profile"));
        return new Profiles(seed, copy);
    }

    /** A copy with another seed. */
    public Profiles withSeed(long seed) {
        return new Profiles(seed, parts);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
