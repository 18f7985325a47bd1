package workshop.scenarios.aggregation.domain;

/**
 * A product's price.
 *
 * @param amountCents the amount in the currency's smallest unit, zero or more
 * @param currency    an ISO 4217 code such as {@code EUR}
 */
public record Price(long amountCents, String currency) {
    public Price {
        if (amountCents < 0) {
            throw new IllegalArgumentException("negative price: " + amountCents);
        }
        java.util.Objects.requireNonNull(currency, "currency");
    }
}
