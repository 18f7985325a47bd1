package workshop.scenarios.jobs.application;

/** A call of the external API that brought no result: an error status, a broken connection, a time-out. */
public final class ApiException extends Exception {

    public ApiException(String message, Throwable cause) {
        super(message, cause);
    }

    public ApiException(String message) {
        super(message);
    }
}
