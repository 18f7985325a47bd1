package workshop.scenarios.exchange.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount in a currency (ISO 4217 code, e.g. {@code EUR}).
 *
 * @param amount   the amount, never negative
 * @param currency the currency's code: three upper-case letters that {@link Currency} knows
 */
public record Money(BigDecimal amount, String currency) {

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("a price is never negative: " + amount);
        }
        Currency.getInstance(currency); // throws IllegalArgumentException for an unknown code
    }

    /** {@code Money.of("19.99", "EUR")}. */
    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    /** How many digits this currency shows after the decimal point (2 for EUR, 0 for JPY). */
    public int fractionDigits() {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
