// Wrong answer for 06.1: a caching adapter wraps the HTTP adapter's class instead of the port
package workshop.scenarios.exchange.adapter.cache;

import workshop.scenarios.exchange.adapter.rates.RatesHttpClient;
import workshop.scenarios.exchange.application.RatesPort;
import workshop.scenarios.exchange.application.RatesUnavailableException;
import workshop.scenarios.exchange.domain.ExchangeRate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers each rate it fetched (wrong: it knows the HTTP adapter's class, not the port it implements). */
public final class CachedRates implements RatesPort {

    private final RatesHttpClient delegate;
    private final Map<String, ExchangeRate> seen = new ConcurrentHashMap<>();

    public CachedRates(RatesHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExchangeRate latest(String from, String to) throws RatesUnavailableException, InterruptedException {
        ExchangeRate known = seen.get(from + to);
        if (known != null) {
            return known;
        }
        ExchangeRate rate = delegate.latest(from, to);
        seen.put(from + to, rate);
        return rate;
    }
}
