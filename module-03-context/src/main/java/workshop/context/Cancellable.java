package workshop.context;

/**
 * What {@code context.WithCancel} and {@code context.WithDeadline} return: the new context and the function that
 * cancels it. Call {@link #cancel()} when the work is done, as Go code writes {@code defer cancel()}: it releases
 * what the context holds in its parent and in the timer. {@link #close()} cancels too, so that
 * try-with-resources plays the part of {@code defer}.
 *
 * @param context the new context
 * @param cancelFunction cancels {@code context} and its descendants with {@link ContextError#CANCELED}; idempotent
 */
public record Cancellable(Context context, Runnable cancelFunction) implements AutoCloseable {

    /** Cancels the context: {@code cancel()}. Idempotent. */
    public void cancel() {
        cancelFunction.run();
    }

    /** Cancels the context, for try-with-resources. */
    @Override
    public void close() {
        cancelFunction.run();
    }
}
