package workshop.channels;

/**
 * What a receive gives back: Go's {@code v, ok := <-ch}. {@code ok} is true for a value that a send delivered, and
 * false once the channel is closed and drained; then {@code value} is {@code null}, Java's zero value.
 *
 * @param value the value received, or {@code null} when {@code ok} is false
 * @param ok    whether {@code value} came from a send (true) or the channel is closed and drained (false)
 * @param <T>   the channel's element type
 */
public record Received<T>(T value, boolean ok) {

    /** A value delivered by a send. */
    public static <T> Received<T> of(T value) {
        return new Received<>(value, true);
    }

    /** The answer of a closed, drained channel: {@code (null, false)}. */
    public static <T> Received<T> closed() {
        return new Received<>(null, false);
    }
}
