package workshop.scenarios.exchange.application;

/** No rate could be had: the rates service failed, did not answer in time, or knows no such pair of currencies. */
public final class RatesUnavailableException extends Exception {

    public RatesUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public RatesUnavailableException(String message) {
        super(message);
    }
}
