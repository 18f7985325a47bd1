package workshop.scenarios.deploy.application;

/** The {@link ItemSource} could not answer: down, overloaded, or the item vanished meanwhile. Worth another try. */
public final class SourceUnavailable extends Exception {

    public SourceUnavailable(String message) {
        super(message);
    }

    public SourceUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
