package workshop.context;

import java.util.function.Consumer;

/**
 * What {@code context.WithCancelCause} returns: the new context and a cancel function that records why.
 *
 * @param context the new context
 * @param cancelFunction cancels {@code context} and its descendants with {@link ContextError#CANCELED}, recording the given
 *                cause (or none, for {@code null}) as {@link Context#cause()}; only the first call has an effect
 */
public record CancellableWithCause(Context context, Consumer<Throwable> cancelFunction) {

    /** Cancels the context, recording {@code cause}: {@code cancel(cause)}. Only the first call has an effect. */
    public void cancel(Throwable cause) {
        cancelFunction.accept(cause);
    }
}
