package workshop.channels;

/**
 * What a receive that must not block gives back: Go's {@code select} with a {@code default} case has three outcomes.
 *
 * <pre>{@code
 * switch (ch.tryReceive()) {
 *     case Poll.Value<String>(String v) -> use(v);        // case v := <-ch:
 *     case Poll.WouldBlock<String>() -> doSomethingElse(); // default:
 *     case Poll.Closed<String>() -> finish();             // case _, ok := <-ch: (ok == false)
 * }
 * }</pre>
 *
 * @param <T> the channel's element type
 */
public sealed interface Poll<T> {

    /** A value was there, and is now taken. */
    record Value<T>(T value) implements Poll<T> {
    }

    /** Nothing to take now, and the channel is still open: a blocking receive would have waited. */
    record WouldBlock<T>() implements Poll<T> {
    }

    /** The channel is closed and drained: nothing will ever come. */
    record Closed<T>() implements Poll<T> {
    }
}
