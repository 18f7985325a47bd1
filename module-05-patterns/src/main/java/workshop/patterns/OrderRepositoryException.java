package workshop.patterns;

/**
 * A failure in the repository layer of {@link Causes}: reading an order from the {@link OrderStore} failed
 * (exercise 05.9).
 * Its message says what this layer was doing; its cause is the failure it wraps, as Go's
 * {@code fmt.Errorf("...: %w", err)} keeps the error it wraps.
 */
public class OrderRepositoryException extends Exception {

    /** A failure with this layer's context in {@code message}, wrapping {@code cause} (or none, if null). */
    public OrderRepositoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure with this layer's context in {@code message} and no cause (yet). */
    public OrderRepositoryException(String message) {
        super(message);
    }
}
