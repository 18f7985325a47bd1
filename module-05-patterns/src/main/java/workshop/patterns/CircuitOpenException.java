package workshop.patterns;

/**
 * Thrown by exercise 05.7's {@link CircuitBreaker#call} when the breaker lets no call through: it is open, or
 * half-open with its one trial call already in flight. The protected call was not made. Unchecked, as Resilience4j's
 * {@code CallNotPermittedException}; Go's {@code sony/gobreaker} returns the sentinel errors {@code ErrOpenState}
 * (open) and {@code ErrTooManyRequests} (half-open, its trial calls all in flight).
 */
public final class CircuitOpenException extends RuntimeException {

    /** @param message why no call was let through, for a log line */
    public CircuitOpenException(String message) {
        super(message);
    }
}
