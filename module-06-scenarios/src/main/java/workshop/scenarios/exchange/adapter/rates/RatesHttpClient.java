package workshop.scenarios.exchange.adapter.rates;

import workshop.scenarios.exchange.application.RateConversion;
import workshop.scenarios.exchange.application.RatesUnavailableException;
import workshop.scenarios.exchange.domain.ExchangeRate;
import workshop.scenarios.exchange.domain.PriceConverter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.Objects;

/**
 * The rates service's HTTP client (Go's {@code internal/rates}): one shared {@link HttpClient}, a time-out on every
 * call. Exercise 06.1: read {@link RateConversion} first.
 */
public final class RatesHttpClient {

    private final URI ratesService;
    private final HttpClient http;

    /**
     * @param ratesService the rates service's base URI, e.g. {@code http://127.0.0.1:8081}
     * @param http         the shared client; the caller closes it
     */
    public RatesHttpClient(URI ratesService, HttpClient http) {
        this.ratesService = Objects.requireNonNull(ratesService, "ratesService");
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * Today's rate from {@code from} to {@code to}.
     *
     * @throws RatesUnavailableException if the service fails, answers anything but 200, or is too slow
     * @throws InterruptedException      if the calling thread is interrupted while it waits
     */
    public ExchangeRate latest(String from, String to) throws RatesUnavailableException, InterruptedException {
        try {
            return PriceConverter.fetchRate(http, ratesService, from, to, RateConversion.RATES_TIMEOUT);
        } catch (HttpTimeoutException e) {
            throw new RatesUnavailableException("the rates service did not answer within "
                    + RateConversion.RATES_TIMEOUT.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new RatesUnavailableException(e.getMessage(), e);
        }
    }
}
