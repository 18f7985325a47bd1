package workshop.scenarios.exchange.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The arithmetic of a conversion: a price times a rate, rounded to the target currency's digits (half-even, the
 * banker's rounding). Pure: where the rate comes from is the application's business.
 */
public final class PriceConverter {

    private PriceConverter() {
    }

    /**
     * {@code price} in {@code rate.to()}: the amount times the rate, rounded half-even to the target currency's
     * digits.
     *
     * @throws IllegalArgumentException if the rate does not convert from the price's currency
     */
    public static Money convert(Money price, ExchangeRate rate) {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(rate, "rate");
        if (!rate.from().equals(price.currency())) {
            throw new IllegalArgumentException("a rate from " + rate.from() + " cannot convert a price in "
                    + price.currency());
        }
        Money unrounded = new Money(price.amount().multiply(rate.rate()), rate.to());
        BigDecimal amount = unrounded.amount().setScale(unrounded.fractionDigits(), RoundingMode.HALF_EVEN);
        return new Money(amount, rate.to());
    }
}
