// Wrong answer for 06.1: the port is declared in the adapter's package, beside its implementation
package workshop.scenarios.exchange.adapter.rates;

import workshop.scenarios.exchange.application.RatesUnavailableException;
import workshop.scenarios.exchange.domain.ExchangeRate;

/** Where the use case gets its rates, declared beside the HTTP client (wrong: a port belongs to its user). */
public interface RatesPort {

    ExchangeRate latest(String from, String to) throws RatesUnavailableException, InterruptedException;
}
