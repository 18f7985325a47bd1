package workshop.scenarios.aggregation.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The aggregate a client gets: the required parts always, the optional ones when they came in time.
 *
 * @param id              the product
 * @param stock           from the inventory
 * @param price           from pricing
 * @param reviews         empty when left out or when there are none
 * @param recommendations empty when left out or when there are none
 * @param omitted         the optional parts left out because their downstream failed or was late (an unmodifiable
 *                        copy): not empty means the page is degraded
 */
public record ProductPage(ProductId id, Stock stock, Price price, Optional<ReviewSummary> reviews,
                          Optional<Recommendations> recommendations, Set<Part> omitted) {
    public ProductPage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stock, "stock");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(reviews, "reviews");
        Objects.requireNonNull(recommendations, "recommendations");
        omitted = Set.copyOf(omitted);
        if (omitted.stream().anyMatch(Part::required)) {
            throw new IllegalArgumentException("a page cannot omit a required part: " + omitted);
        }
    }

    /** Whether a part was left out because its downstream failed or was late. */
    public boolean degraded() {
        return !omitted.isEmpty();
    }
}
