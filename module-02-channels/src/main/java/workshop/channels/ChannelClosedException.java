package workshop.channels;

/**
 * Thrown by a send on a closed channel, by a send that was blocked when the channel was closed, and by a second
 * {@code close}: where Go panics ("send on closed channel", "close of closed channel").
 */
public final class ChannelClosedException extends IllegalStateException {

    public ChannelClosedException(String message) {
        super(message);
    }
}
