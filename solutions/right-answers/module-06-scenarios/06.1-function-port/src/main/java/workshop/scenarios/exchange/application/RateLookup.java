// Right answer for 06.1: the port is a function (RateLookup: from, to -> rate), wired with a method reference
package workshop.scenarios.exchange.application;

import java.math.BigDecimal;

/** The use case's port as a single function: today's rate from one currency to another. */
@FunctionalInterface
public interface RateLookup {

    BigDecimal rate(String from, String to) throws RatesUnavailableException, InterruptedException;
}
