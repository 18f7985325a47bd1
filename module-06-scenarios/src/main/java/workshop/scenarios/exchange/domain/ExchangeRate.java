package workshop.scenarios.exchange.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * How many units of {@code to} one unit of {@code from} buys.
 *
 * @param from the currency converted from
 * @param to   the currency converted into
 * @param rate the rate, greater than zero
 */
public record ExchangeRate(String from, String to, BigDecimal rate) {

    public ExchangeRate {
        Objects.requireNonNull(rate, "rate");
        Currency.getInstance(Objects.requireNonNull(from, "from"));
        Currency.getInstance(Objects.requireNonNull(to, "to"));
        if (rate.signum() <= 0) {
            throw new IllegalArgumentException("a rate is greater than zero: " + rate);
        }
    }
}
