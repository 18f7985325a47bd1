package workshop.scenarios.exchange.application;

import workshop.scenarios.exchange.domain.ExchangeRate;
import workshop.scenarios.exchange.domain.Money;
import workshop.scenarios.exchange.domain.PriceConverter;

import java.util.Objects;

/**
 * Exercise 06.1: Ports and adapters, enforced
 *
 * <p>The use case of the price converter: a list price in another currency, at today's rate from a
 * {@link RatesPort}. It knows no adapter and no transport; {@code exchange.Main} wires one in. In Go:
 * <pre>{@code
 * // internal/convert/convert.go: the consumer declares the interface it needs
 * type Rates interface {
 *     Rate(ctx context.Context, from, to string) (decimal.Decimal, error)
 * }
 * func New(rates Rates) *Converter { return &Converter{rates: rates} }
 *
 * // internal/rates/client.go implements it over net/http and never imports convert;
 * // cmd/exchange/main.go: conv := convert.New(rates.NewClient(httpClient, baseURL))
 * }</pre>
 */
public final class RateConversion {

    private final RatesPort rates;

    /** @param rates where the rates come from */
    public RateConversion(RatesPort rates) {
        this.rates = Objects.requireNonNull(rates, "rates");
    }

    /**
     * {@code price} in {@code currency}, at today's rate; the price itself when it is in that currency already
     * (no call is made).
     *
     * @throws RatesUnavailableException if no rate could be had
     * @throws InterruptedException      if the calling thread is interrupted while it waits for the rate
     */
    public Money convert(Money price, String currency) throws RatesUnavailableException, InterruptedException {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(currency, "currency");
        if (price.currency().equals(currency)) {
            return price;
        }
        ExchangeRate rate = rates.latest(price.currency(), currency);
        return PriceConverter.convert(price, rate);
    }
}
