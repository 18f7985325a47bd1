package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("02.4")
@DisplayName("02.4 Channel: range, len and cap")
class ChannelRangeTest {

    /**
     * {@code for (String v : channel)}, collecting into {@code seen}. An exception from the iterator (other than the
     * not-solved-yet signal and interruption) fails with what the loop had seen so far.
     */
    private static void range(Channel<String> channel, List<String> seen) {
        try {
            for (String value : channel) {
                seen.add(value);
            }
        } catch (NotSolvedYet | ChannelInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AssertionError("[02.4] for (String v : channel) threw " + e + " after it had seen " + seen
                    + ": hasNext() must say whether there is a next value (receiving it if need be), and next() "
                    + "must return it (README 02.4)", e);
        }
    }

    /** One call of an iterator: what it returned, or which exception it threw. */
    private static Object step(Callable<?> call) {
        try {
            return call.call();
        } catch (NotSolvedYet e) {
            throw e;
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    @Nested
    @DisplayName("a for-each loop over a channel (Go's range)")
    class Range {

        @Test
        @DisplayName("yields the buffered values of a closed channel in order, then ends")
        void yieldsBufferedValuesThenEnds() throws InterruptedException {
            Channel<String> channel = new Channel<>(3);
            channel.send("a");
            channel.send("b");
            channel.send("c");
            channel.close();

            List<String> seen = Background.call("[02.4] for (String v : channel) over a closed channel", () -> {
                List<String> values = new ArrayList<>();
                range(channel, values);
                return values;
            }).await(PATIENCE);

            assertThat(seen).as("[02.4] range over a closed channel holding a, b, c").containsExactly("a", "b", "c");
        }

        @Test
        @DisplayName("waits while the channel is open, and ends exactly when it is closed and drained")
        void endsExactlyWhenClosedAndDrained() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);
            List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            Background<Void> loop = Background.run("[02.4] for (String v : channel) until closed",
                    () -> range(channel, seen));
            try {
                awaitWatching("02.4", "the values sent were not all taken: did the loop stop receiving while the "
                        + "channel was empty but still open?",
                        Background.run("[02.4] sending x, y, z to the loop", () -> {
                    for (String value : List.of("x", "y", "z")) {
                        channel.send(value);
                    }
                }), loop);
                await("[02.4] the loop to see x, y, z").atMost(PATIENCE).untilAsserted(() ->
                        assertThat(seen).as("[02.4] the values the loop has seen so far")
                                .containsExactly("x", "y", "z"));
                awaitWaiting(loop, "02.4", "the loop ended although the channel is still open: "
                        + "an empty channel is not a closed one");

                channel.close();
                loop.await(PATIENCE);
                assertThat(seen).as("[02.4] the values the loop saw before it ended").containsExactly("x", "y", "z");
            } finally {
                stop(loop);
            }
        }

        @Test
        @DisplayName("lets hasNext be asked twice without losing a value, and next fail after the end")
        void hasNextTwiceLosesNothing() throws InterruptedException {
            Channel<String> channel = new Channel<>(2);
            channel.send("a");
            channel.send("b");
            channel.close();

            List<Object> steps = Background.call("[02.4] hasNext, hasNext, next, next, hasNext, next", () -> {
                Iterator<String> values = channel.iterator();
                return Arrays.asList(step(values::hasNext), step(values::hasNext), step(values::next),
                        step(values::next), step(values::hasNext), step(values::next)); // a step may give null
            }).await(PATIENCE);

            assertThat(steps)
                    .as("[02.4] hasNext, hasNext, next, next, hasNext, next over a closed channel holding a, b gave "
                        + "%s. hasNext() may be called any number of times before next(): it must receive at most "
                        + "once, and keep what it received for next(); next() without hasNext() works too, and after "
                        + "the end next() throws NoSuchElementException (README 02.4)", steps)
                    .containsExactly(true, true, "a", "b", false, NoSuchElementException.class.getSimpleName());
        }

        @Test
        @DisplayName("answers interruption with ChannelInterruptedException, and the interrupt flag set")
        void answersInterruption() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);
            Background<String> loop = Background.call("[02.4] a loop interrupted while it waits", () -> {
                try {
                    for (String ignored : channel) {
                        return "got a value";
                    }
                    return "ended";
                } catch (ChannelInterruptedException e) {
                    return Thread.currentThread().isInterrupted() ? "interrupted, flag set" : "interrupted, flag lost";
                }
            });
            try {
                awaitWaiting(loop, "02.4", "the loop ended although nothing was sent and the channel is open");
                loop.thread().interrupt();
                assertThat(loop.await(PATIENCE))
                        .as("[02.4] hasNext() cannot throw InterruptedException: it should throw "
                            + "ChannelInterruptedException and set the interrupt flag again (README 02.4)")
                        .isEqualTo("interrupted, flag set");
            } finally {
                stop(loop);
            }
        }
    }

    @Nested
    @DisplayName("len and cap")
    class LenAndCap {

        @Test
        @DisplayName("of a buffered channel count the values waiting in the buffer and the room given at creation")
        void ofABufferedChannel() throws InterruptedException {
            Channel<String> channel = new Channel<>(3);
            assertThat(List.of(channel.len(), channel.cap())).as("[02.4] len and cap of a new channel of capacity 3")
                    .containsExactly(0, 3);

            channel.send("a");
            channel.send("b");
            assertThat(channel.len()).as("[02.4] len after two sends").isEqualTo(2);

            channel.receive();
            assertThat(channel.len()).as("[02.4] len after two sends and a receive").isEqualTo(1);
            assertThat(channel.cap()).as("[02.4] cap never changes").isEqualTo(3);
        }

        @Test
        @DisplayName("of an unbuffered channel are 0, even while a sender waits")
        void ofAnUnbufferedChannel() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);
            Background<Void> sender = Background.run("[02.4] send() waiting", () -> channel.send("waiting"));
            try {
                awaitWaiting(sender, "02.4", "send() on an unbuffered channel returned before any receiver came");
                assertThat(List.of(channel.len(), channel.cap()))
                        .as("[02.4] len and cap of an unbuffered channel with a sender waiting: a waiting sender's "
                            + "value is not in a buffer")
                        .containsExactly(0, 0);
            } finally {
                stop(sender);
            }
        }
    }
}
