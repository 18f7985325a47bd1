// Wrong answer for 06.1: the adapter reads its time-out from a constants class beside Main (a cycle)
package workshop.scenarios.exchange;

import java.time.Duration;

/** The scenario's settings in one place, read by Main and the adapters (wrong: an adapter now needs Main's package). */
public final class ExchangeConstants {

    public static final Duration RATES_TIMEOUT = Duration.ofSeconds(10);

    private ExchangeConstants() {
    }
}
