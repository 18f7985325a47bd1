package workshop.scenarios.exchange.adapter.rates;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import workshop.scenarios.exchange.application.RatesPort;
import workshop.scenarios.exchange.application.RatesUnavailableException;
import workshop.scenarios.exchange.domain.ExchangeRate;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * The rates service's HTTP client (Go's {@code internal/rates}), the {@link RatesPort} over HTTP:
 * {@code GET {ratesService}/rates/{from}/{to}} answers {@code {"from":"EUR","to":"USD","rate":"1.0842"}}. One shared
 * {@link HttpClient}, a time-out on every call.
 */
public final class RatesHttpClient implements RatesPort {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI ratesService;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param ratesService the rates service's base URI, e.g. {@code http://127.0.0.1:8081}
     * @param http         the shared client; the caller closes it
     * @param timeout      how long one call may take
     */
    public RatesHttpClient(URI ratesService, HttpClient http, Duration timeout) {
        this.ratesService = Objects.requireNonNull(ratesService, "ratesService");
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public ExchangeRate latest(String from, String to) throws RatesUnavailableException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(ratesService.resolve("/rates/" + from + "/" + to))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new RatesUnavailableException("the rates service did not answer within " + timeout.toMillis()
                    + " ms", e);
        } catch (IOException e) {
            throw new RatesUnavailableException("the rates service could not be reached: " + e, e);
        }
        if (response.statusCode() != 200) {
            throw new RatesUnavailableException("the rates service answered " + response.statusCode() + " for "
                    + from + "->" + to);
        }
        try {
            JsonNode rate = JSON.readTree(response.body()).path("rate");
            BigDecimal value = rate.isString() ? new BigDecimal(rate.asString()) : rate.decimalValue();
            return new ExchangeRate(from, to, value);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new RatesUnavailableException("the rates service's answer has no rate: " + response.body(), e);
        }
    }
}
