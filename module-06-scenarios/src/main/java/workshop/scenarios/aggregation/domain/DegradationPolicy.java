package workshop.scenarios.aggregation.domain;

import workshop.support.NotSolvedYet;

/**
 * Exercise 06.2: The degradation policy
 *
 * <p>(header: helper B)
 */
public final class DegradationPolicy {

    /**
     * Decides what to answer from the four outcomes.
     */
    public PageDecision decide(ProductId id, Outcome<Stock> stock, Outcome<Price> price, Outcome<ReviewSummary> reviews,
                               Outcome<Recommendations> recommendations) {
        // TODO 06.2: (helper B)
        throw new NotSolvedYet("06.2");
    }
}
