package workshop.scenarios.aggregation.domain;

import java.util.List;

/**
 * Other products to show beside this one.
 *
 * @param productIds in the order to show them, an unmodifiable copy
 */
public record Recommendations(List<ProductId> productIds) {
    public Recommendations {
        productIds = List.copyOf(productIds);
    }
}
