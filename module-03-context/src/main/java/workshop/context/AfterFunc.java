package workshop.context;

/** What {@link Context#afterFunc} returns: the {@code stop} function of Go's {@code context.AfterFunc}. */
@FunctionalInterface
public interface AfterFunc {

    /**
     * Stops the function from running. Returns {@code true} if this call prevented the run; {@code false} if the
     * function has already been started (or stopped before). Does not wait for a started function to finish.
     */
    boolean stop();
}
