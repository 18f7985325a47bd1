package workshop.channels;

/**
 * Thrown by a channel's iterator when the iterating thread is interrupted while it waits for the next value:
 * {@link java.util.Iterator#hasNext()} cannot throw {@link InterruptedException}. The thread's interrupt status is set
 * again before this is thrown, and the {@link InterruptedException} is its cause.
 */
public final class ChannelInterruptedException extends RuntimeException {

    public ChannelInterruptedException(InterruptedException cause) {
        super("interrupted while waiting for the next value of a channel", cause);
    }
}
