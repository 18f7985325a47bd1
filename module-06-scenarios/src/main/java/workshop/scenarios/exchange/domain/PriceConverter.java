package workshop.scenarios.exchange.domain;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arithmetic of a conversion: a price times a rate, rounded to the target currency's digits (half-even, the
 * banker's rounding).
 *
 * <p>Exercise 06.1 starts here too: this domain class also fetches the rate from the rates service over HTTP. Read
 * {@link workshop.scenarios.exchange.application.RateConversion} first.
 */
public final class PriceConverter {

    private static final Pattern RATE = Pattern.compile("\"rate\"\\s*:\\s*\"?([0-9]+(?:\\.[0-9]+)?)\"?");

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

    /**
     * Asks the rates service for today's rate: {@code GET {ratesService}/rates/{from}/{to}}, which answers
     * {@code {"from":"EUR","to":"USD","rate":"1.0842"}}.
     *
     * @throws IOException          if the call fails or the service answers anything but 200
     * @throws InterruptedException if the calling thread is interrupted while it waits for the answer
     */
    public static ExchangeRate fetchRate(HttpClient http, URI ratesService, String from, String to, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(ratesService.resolve("/rates/" + from + "/" + to))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the rates service answered " + response.statusCode() + " for " + from + "->" + to);
        }
        Matcher rate = RATE.matcher(response.body());
        if (!rate.find()) {
            throw new IOException("the rates service's answer has no rate: " + response.body());
        }
        return new ExchangeRate(from, to, new BigDecimal(rate.group(1)));
    }
}
