// Wrong answer for 02.10: a single thread forwards the inputs one after the other, so a quiet input holds back the others
package workshop.channels;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exercise 02.10: Fan-in
 *
 * <p>Merge several channels into one that is closed exactly when every input is closed and drained. Builds on your
 * {@link Channel} (02.1–02.4).
 *
 * <pre>{@code
 * out := make(chan T)
 * for _, c := range inputs { wg.Add(1); go func(c <-chan T) { defer wg.Done(); for v := range c { out <- v } }(c) }
 * go func() { wg.Wait(); close(out) }()
 * return out
 * }</pre>
 */
public final class FanIn {

    private FanIn() {
    }

    /**
     * Returns an unbuffered channel that carries every value received from {@code inputs}, each input's values in
     * their order, and is closed once every input is closed and drained. Does not block: the forwarding runs on
     * threads of its own, which end when their input is closed and drained. A value waits in its forwarder until
     * someone receives it from the output, so read the output to the end, or the forwarders wait forever.
     *
     * <p>Memory consistency effects: those of the channels — a send on an input happens-before the receive of that
     * value from the output.
     */
    public static <T> Channel<T> merge(List<Channel<T>> inputs) {
        Channel<T> out = new Channel<>(0);
        Thread.ofVirtual().name("fan-in-forwarder").start(() -> {
            try {
                for (Channel<T> input : inputs) { // wrong: one input after the other
                    for (T value : input) {
                        out.send(value);
                    }
                }
            } catch (InterruptedException | ChannelInterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.close();
        });
        return out;
    }
}
