package workshop.scenarios.exchange.application;

import workshop.scenarios.exchange.adapter.rates.RatesHttpClient;
import workshop.scenarios.exchange.domain.ExchangeRate;
import workshop.scenarios.exchange.domain.Money;
import workshop.scenarios.exchange.domain.PriceConverter;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Exercise 06.1: Ports and adapters, enforced
 *
 * <p>The use case of the price converter: a list price in another currency, at today's rate from the rates service.
 * The code works, and breaks the layout rules the way real code does: the domain's {@link PriceConverter} calls the
 * HTTP client itself, and this use case and its adapter know each other (it creates {@link RatesHttpClient}, which
 * reads {@link #RATES_TIMEOUT} back: a cycle). The tests are the layout rules (ArchUnit); their failures name each
 * class that breaks one. Introduce the port, move the HTTP code into the adapter, keep the domain pure and let
 * {@code exchange.Main} wire the adapter to the use case, without changing what a conversion does. In Go:
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

    /** How long the rates service may take to answer one call. */
    public static final Duration RATES_TIMEOUT = Duration.ofSeconds(10);

    // TODO 06.1: this use case needs "a rate from A to B", not an HTTP client: say so with a port declared here,
    //  in the application package, take it in the constructor, and leave choosing and building its
    //  implementation to the composition root (exchange.Main)
    private final RatesHttpClient rates;

    /**
     * @param ratesService the rates service's base URI
     * @param http         the shared HTTP client; the caller closes it
     */
    public RateConversion(URI ratesService, HttpClient http) {
        this.rates = new RatesHttpClient(ratesService, http);
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
