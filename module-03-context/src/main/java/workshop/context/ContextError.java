package workshop.context;

/**
 * Why a {@link Context} is done: Go's two sentinel errors, {@code context.Canceled} and
 * {@code context.DeadlineExceeded}. Compare with {@code ==}, as Go code compares with {@code errors.Is}.
 */
public enum ContextError {

    /** {@code context.Canceled}: a cancel function ran, the context's own or an ancestor's. */
    CANCELED("context canceled"),

    /** {@code context.DeadlineExceeded}: the deadline passed, the context's own or an ancestor's. */
    DEADLINE_EXCEEDED("context deadline exceeded");

    private final String message;
    private final ContextException exception;

    ContextError(String message) {
        this.message = message;
        this.exception = new ContextException(this);
    }

    /** Go's error text, such as {@code "context canceled"}. */
    public String message() {
        return message;
    }

    /**
     * This error as a throwable, for APIs that speak in exceptions (and as the default {@link Context#cause()}).
     * Always the same instance for the same error, as Go's sentinel errors are always the same value.
     */
    public ContextException exception() {
        return exception;
    }

    @Override
    public String toString() {
        return message;
    }
}
