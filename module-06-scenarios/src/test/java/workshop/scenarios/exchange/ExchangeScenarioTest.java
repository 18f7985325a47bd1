package workshop.scenarios.exchange;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.exchange.application.RateConversion;
import workshop.scenarios.exchange.application.RatesUnavailableException;
import workshop.scenarios.exchange.domain.Money;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The price converter through its public entry, {@link Main#converter}, against a fake rates service on loopback:
 * what a conversion does must not change while the code moves into its layers. Passes on the starter and on the
 * reference alike: tagged {@code machinery} as well as 06.1, so the starter check expects it to pass, and it runs for
 * every 06.1 answer of the wrong-answers check.
 */
@Tag("06.1")
@Tag("machinery") // passes on the starter too: moving the code into a port must keep the converter converting
@DisplayName("06.1 Ports and adapters, enforced: the converter still converts")
class ExchangeScenarioTest {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{\"from\":\"EUR\",\"to\":\"USD\",\"rate\":\"1.0842\"}";
    private HttpServer rates;
    private HttpClient http;
    private RateConversion converter;

    @BeforeEach
    void startTheFakeRatesService() throws IOException {
        rates = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        rates.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        rates.start();
        http = HttpClient.newHttpClient();
        URI base = URI.create("http://" + rates.getAddress().getHostString() + ":" + rates.getAddress().getPort());
        converter = Main.converter(base, http);
    }

    @AfterEach
    void stopIt() {
        http.close();
        rates.stop(0);
    }

    @Test
    @DisplayName("a price is converted at the rate the rates service gives, rounded half-even to the currency's cents")
    void convertsAtTheServicesRate() throws Exception {
        Money converted = converter.convert(Money.of("19.99", "EUR"), "USD");

        assertThat(converted).as("[06.1] 19.99 EUR at 1.0842 (README 06.1)").isEqualTo(Money.of("21.67", "USD"));
        assertThat(requests).as("[06.1] the calls the rates service saw").containsExactly("GET /rates/EUR/USD");
    }

    @Test
    @DisplayName("a currency without cents is rounded to whole units")
    void roundsToTheTargetCurrencysDigits() throws Exception {
        body = "{\"from\":\"EUR\",\"to\":\"JPY\",\"rate\":\"162.37\"}";

        Money converted = converter.convert(Money.of("19.99", "EUR"), "JPY");

        assertThat(converted).as("[06.1] 19.99 EUR at 162.37 (README 06.1)").isEqualTo(Money.of("3246", "JPY"));
    }

    @Test
    @DisplayName("a price already in the target currency is returned without a call")
    void noCallForTheSameCurrency() throws Exception {
        assertThat(converter.convert(Money.of("5.00", "EUR"), "EUR")).isEqualTo(Money.of("5.00", "EUR"));
        assertThat(requests).as("[06.1] calls to the rates service").isEmpty();
    }

    @Test
    @DisplayName("a failing rates service is reported as RatesUnavailableException with its status")
    void aFailingServiceIsReported() {
        status = 503;
        body = "try later";

        assertThatThrownBy(() -> converter.convert(Money.of("19.99", "EUR"), "USD"))
                .as("[06.1] a 503 from the rates service (README 06.1)")
                .isInstanceOf(RatesUnavailableException.class)
                .hasMessageContaining("503");
    }
}
