package workshop.scenarios.exchange;

import workshop.scenarios.exchange.adapter.rates.RatesHttpClient;
import workshop.scenarios.exchange.application.RateConversion;
import workshop.scenarios.exchange.domain.Money;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The price converter's composition root, Go's {@code cmd/exchange/main.go}: the one class that knows the adapters
 * and wires them to the use case.
 *
 * <pre>{@code java ... workshop.scenarios.exchange.Main http://127.0.0.1:8081 19.99 EUR USD}</pre>
 */
public final class Main {

    /** How long the rates service may take to answer one call. */
    static final Duration RATES_TIMEOUT = Duration.ofSeconds(10);

    private Main() {
    }

    /**
     * A conversion use case that gets its rates from the rates service at {@code ratesService} through
     * {@code http}; the caller keeps and closes the client.
     */
    public static RateConversion converter(URI ratesService, HttpClient http) {
        return new RateConversion(new RatesHttpClient(ratesService, http, RATES_TIMEOUT));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Main <rates service URI> <amount> <currency> <target currency>");
            System.exit(2);
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            Money price = Money.of(args[1], args[2]);
            System.out.println(price + " = " + converter(URI.create(args[0]), http).convert(price, args[3]));
        }
    }
}
