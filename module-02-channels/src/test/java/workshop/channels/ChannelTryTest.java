package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.stop;

@Tag("02.3")
@DisplayName("02.3 Channel: send and receive without blocking")
class ChannelTryTest {

    /** Runs a call that must not block on a thread of its own, so that one that blocks fails instead of hanging. */
    private static <T> T atOnce(String what, java.util.concurrent.Callable<T> call) throws InterruptedException {
        return Background.call("[02.3] " + what + " (it must not block)", call).await(PATIENCE);
    }

    @Nested
    @DisplayName("tryReceive")
    class TryReceive {

        @Test
        @DisplayName("on an open, empty channel answers would-block")
        void wouldBlockWhenEmpty() throws InterruptedException {
            Channel<String> channel = new Channel<>(1);

            assertThat(atOnce("tryReceive() on an empty channel", channel::tryReceive))
                    .as("[02.3] tryReceive() on an open, empty channel")
                    .isEqualTo(new Poll.WouldBlock<String>());
        }

        @Test
        @DisplayName("takes a buffered value, and after close drains the buffer before it answers closed")
        void takesBufferedValuesThenAnswersClosed() throws InterruptedException {
            Channel<String> channel = new Channel<>(2);
            channel.send("a");
            assertThat(atOnce("tryReceive() with a value buffered", channel::tryReceive))
                    .as("[02.3] tryReceive() with a value in the buffer").isEqualTo(new Poll.Value<>("a"));

            channel.send("b");
            channel.close();
            assertThat(atOnce("tryReceive() twice on a closed channel holding one value",
                    () -> java.util.List.of(channel.tryReceive(), channel.tryReceive())))
                    .as("[02.3] a closed channel gives its buffered value first, then answers closed")
                    .containsExactly(new Poll.Value<>("b"), new Poll.Closed<>());
        }

        @Test
        @DisplayName("on an unbuffered channel takes the value of a waiting sender and releases it")
        void takesFromAWaitingSender() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);
            Background<Void> sender = Background.run("[02.3] send(\"hand\") waiting", () -> channel.send("hand"));
            try {
                awaitWaiting(sender, "02.3", "send() on an unbuffered channel returned before any receiver came");

                assertThat(atOnce("tryReceive() with a sender waiting", channel::tryReceive))
                        .as("[02.3] tryReceive() on an unbuffered channel with a sender waiting should take its value")
                        .isEqualTo(new Poll.Value<>("hand"));
                sender.await(PATIENCE);
            } finally {
                stop(sender);
            }
        }
    }

    @Nested
    @DisplayName("tryReceive on a full buffered channel with a sender waiting")
    class TryReceiveWithASenderWaiting {

        @Test
        @DisplayName("takes the oldest value, and moves the waiting sender's value into the freed slot")
        void letsTheWaitingSenderIn() throws InterruptedException {
            Channel<String> channel = new Channel<>(1);
            channel.send("oldest");
            Background<Void> sender = Background.run("[02.3] send(\"waiting\") on a full channel: tryReceive() took "
                    + "a value, so this value should move into the freed slot and the send return (README 02.3)",
                    () -> channel.send("waiting"));
            try {
                awaitWaiting(sender, "02.3", "a send into a full buffer returned although there was no room");

                assertThat(atOnce("tryReceive() on a full channel with a sender waiting", channel::tryReceive))
                        .as("[02.3] tryReceive() on a full channel should take the oldest value")
                        .isEqualTo(new Poll.Value<>("oldest"));
                sender.await(PATIENCE);
                assertThat(atOnce("tryReceive() after the waiting send returned", channel::tryReceive))
                        .as("[02.3] the waiting sender's value should be in the buffer now")
                        .isEqualTo(new Poll.Value<>("waiting"));
            } finally {
                stop(sender);
            }
        }
    }

    @Nested
    @DisplayName("trySend")
    class TrySend {

        @Test
        @DisplayName("on an unbuffered channel with no receiver waiting fails and leaves nothing behind")
        void failsWithoutAReceiver() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);

            assertThat(atOnce("trySend() with no receiver", () -> channel.trySend("nobody")))
                    .as("[02.3] trySend() on an unbuffered channel with no receiver waiting must return false: "
                        + "there is no one to hand the value to (README 02.3)")
                    .isFalse();
            assertThat(atOnce("tryReceive() after a failed trySend", channel::tryReceive))
                    .as("[02.3] the value of a trySend that returned false must not stay in the channel")
                    .isEqualTo(new Poll.WouldBlock<String>());
        }

        @Test
        @DisplayName("on an unbuffered channel hands the value to a waiting receiver")
        void handsToAWaitingReceiver() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);
            Background<Received<String>> receiver = Background.call("[02.3] receive() waiting", channel::receive);
            try {
                awaitWaiting(receiver, "02.3", "receive() returned although nothing was sent");

                assertThat(atOnce("trySend() with a receiver waiting", () -> channel.trySend("taken")))
                        .as("[02.3] trySend() on an unbuffered channel with a receiver waiting should succeed")
                        .isTrue();
                assertThat(receiver.await(PATIENCE)).as("[02.3] the waiting receiver should get the value")
                        .isEqualTo(Received.of("taken"));
            } finally {
                stop(receiver);
            }
        }

        @Test
        @DisplayName("on a buffered channel succeeds while there is room, then fails")
        void buffersWhileThereIsRoom() throws InterruptedException {
            Channel<String> channel = new Channel<>(2);

            assertThat(atOnce("trySend() three times into a channel of capacity 2",
                    () -> java.util.List.of(channel.trySend("a"), channel.trySend("b"), channel.trySend("c"))))
                    .as("[02.3] trySend() into a channel of capacity 2: two fit, the third would block")
                    .containsExactly(true, true, false);
            assertThat(atOnce("draining", () -> java.util.List.of(channel.tryReceive(), channel.tryReceive(),
                    channel.tryReceive())))
                    .as("[02.3] the buffer should hold exactly the values that trySend() accepted")
                    .containsExactly(new Poll.Value<>("a"), new Poll.Value<>("b"), new Poll.WouldBlock<>());
        }

        @Test
        @DisplayName("on a closed channel fails like a blocking send")
        void failsOnAClosedChannel() {
            Channel<String> channel = new Channel<>(1);
            channel.close();

            assertThat(catchThrowable(() -> channel.trySend("late")))
                    .as("[02.3] trySend() on a closed channel must throw ChannelClosedException, as send() does")
                    .isInstanceOf(ChannelClosedException.class);
        }
    }
}
