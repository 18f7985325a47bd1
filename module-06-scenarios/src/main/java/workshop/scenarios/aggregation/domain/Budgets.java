package workshop.scenarios.aggregation.domain;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How long a request may take, and each downstream call within it.
 *
 * @param request the whole request's budget, positive
 * @param perCall each part's call budget, positive, each at most {@code request} (an unmodifiable copy with every
 *                part)
 */
public record Budgets(Duration request, Map<Part, Duration> perCall) {

    public Budgets {
        Objects.requireNonNull(request, "request");
        if (!request.isPositive()) {
            throw new IllegalArgumentException("the request budget must be positive: " + request);
        }
        EnumMap<Part, Duration> copy = new EnumMap<>(Part.class);
        copy.putAll(perCall);
        for (Part part : Part.values()) {
            Duration d = copy.get(part);
            if (d == null || !d.isPositive() || d.compareTo(request) > 0) {
                throw new IllegalArgumentException("the budget of " + part.label() + " must be positive and at most "
                        + request + ": " + d);
            }
        }
        perCall = Map.copyOf(copy);
    }

    /** The scenario's budgets: 200 ms per request, 150 ms for each required call, 120 ms for each optional one. */
    public static Budgets standard() {
        return new Budgets(Duration.ofMillis(200), Map.of(
                Part.INVENTORY, Duration.ofMillis(150), Part.PRICING, Duration.ofMillis(150),
                Part.REVIEWS, Duration.ofMillis(120), Part.RECOMMENDATIONS, Duration.ofMillis(120)));
    }

    /** The budget of one part's call. */
    public Duration of(Part part) {
        return perCall.get(part);
    }
}
