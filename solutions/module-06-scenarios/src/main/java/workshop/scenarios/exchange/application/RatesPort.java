package workshop.scenarios.exchange.application;

import workshop.scenarios.exchange.domain.ExchangeRate;

/**
 * Where the use case gets its rates: a port declared where it is used (Go: "accept interfaces"), in the use case's
 * terms. An adapter implements it with real I/O; {@code exchange.Main} chooses which.
 */
public interface RatesPort {

    /**
     * Today's rate from {@code from} to {@code to}.
     *
     * @throws RatesUnavailableException if no rate could be had
     * @throws InterruptedException      if the calling thread is interrupted while it waits
     */
    ExchangeRate latest(String from, String to) throws RatesUnavailableException, InterruptedException;
}
