package workshop.context;

/**
 * A {@link ContextError} as an exception: thrown where a call gives up because its context is done, and the
 * {@link Context#cause()} of a context cancelled without a cause of its own. One shared instance per error, without
 * a stack trace (it is a value, like Go's {@code context.Canceled}, not the record of a place).
 */
public final class ContextException extends RuntimeException {

    private final transient ContextError error;

    ContextException(ContextError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** Which error this is. */
    public ContextError error() {
        return error;
    }
}
