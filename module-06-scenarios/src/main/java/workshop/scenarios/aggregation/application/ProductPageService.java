package workshop.scenarios.aggregation.application;

import workshop.scenarios.aggregation.domain.Budgets;
import workshop.scenarios.aggregation.domain.DegradationPolicy;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.support.NotSolvedYet;

import java.util.Objects;

/**
 * Exercise 06.3: Fan-out within a budget
 *
 * <p>(header: helper B)
 */
public final class ProductPageService implements ProductPages {

    private final InventoryPort inventory;
    private final PricingPort pricing;
    private final ReviewsPort reviews;
    private final RecommendationsPort recommendations;
    private final DegradationPolicy policy;
    private final Budgets budgets;
    private final Scheduler scheduler;

    public ProductPageService(InventoryPort inventory, PricingPort pricing, ReviewsPort reviews,
                              RecommendationsPort recommendations, DegradationPolicy policy, Budgets budgets,
                              Scheduler scheduler) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.pricing = Objects.requireNonNull(pricing, "pricing");
        this.reviews = Objects.requireNonNull(reviews, "reviews");
        this.recommendations = Objects.requireNonNull(recommendations, "recommendations");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public PageDecision load(ProductId id) throws InterruptedException {
        // TODO 06.3: (helper B)
        throw new NotSolvedYet("06.3");
    }
}
