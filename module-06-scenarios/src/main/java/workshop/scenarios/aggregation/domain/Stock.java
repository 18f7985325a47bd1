package workshop.scenarios.aggregation.domain;

/**
 * What the inventory says of a product.
 *
 * @param available units in stock, zero or more
 * @param warehouse where they are
 */
public record Stock(int available, String warehouse) {
    public Stock {
        if (available < 0) {
            throw new IllegalArgumentException("negative stock: " + available);
        }
        java.util.Objects.requireNonNull(warehouse, "warehouse");
    }
}
