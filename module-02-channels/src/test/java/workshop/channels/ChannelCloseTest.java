package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.rethrowFailures;
import static workshop.support.testing.Parked.stop;

@Tag("02.2")
@DisplayName("02.2 Channel: close")
class ChannelCloseTest {

    @Nested
    @DisplayName("after close")
    class AfterClose {

        @Test
        @DisplayName("the values still buffered are received first, then every receive answers closed, forever")
        void bufferedValuesDrainThenClosedForever() throws InterruptedException {
            Channel<String> channel = new Channel<>(3);
            channel.send("a");
            channel.send("b");
            channel.close();

            List<Received<String>> received = Background.call("[02.2] five receives on a closed channel", () -> {
                List<Received<String>> all = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    all.add(channel.receive());
                }
                return all;
            }).await(PATIENCE);

            assertThat(received)
                    .as("[02.2] a closed channel gives its buffered values, then (null, false) at once, every time: "
                        + "Go's v, ok := <-ch (README 02.2)")
                    .containsExactly(Received.of("a"), Received.of("b"),
                            Received.closed(), Received.closed(), Received.closed());
        }

        @Test
        @DisplayName("a receive on a closed unbuffered channel answers closed at once")
        void aReceiveAnswersAtOnce() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);
            channel.close();

            assertThat(Background.call("[02.2] receive() on a closed channel", channel::receive).await(PATIENCE))
                    .as("[02.2] receive() on a closed, drained channel should return (null, false) without waiting")
                    .isEqualTo(Received.closed());
        }

        @Test
        @DisplayName("a send fails, as Go panics with \"send on closed channel\"")
        void aSendFails() {
            Channel<String> channel = new Channel<>(1);
            channel.close();

            assertThat(catchThrowable(() -> channel.send("late")))
                    .as("[02.2] send() on a closed channel must throw ChannelClosedException (README 02.2)")
                    .isInstanceOf(ChannelClosedException.class);
        }

        @Test
        @DisplayName("a second close fails, as Go panics with \"close of closed channel\"")
        void aSecondCloseFails() {
            Channel<String> channel = new Channel<>(0);
            channel.close();

            assertThat(catchThrowable(channel::close))
                    .as("[02.2] closing a closed channel must throw ChannelClosedException (README 02.2)")
                    .isInstanceOf(ChannelClosedException.class);
        }
    }

    @Nested
    @DisplayName("when threads are waiting at the moment of close")
    class WhenThreadsAreWaiting {

        @Test
        @DisplayName("every waiting receiver wakes up with closed")
        void everyWaitingReceiverWakes() throws InterruptedException {
            Channel<String> channel = new Channel<>(0);
            List<Background<Received<String>>> receivers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                receivers.add(Background.call("[02.2] receive() #" + i + " waiting at close", channel::receive));
            }
            try {
                for (Background<Received<String>> receiver : receivers) {
                    awaitWaiting(receiver, "02.2", "receive() returned although nothing was sent or closed");
                }
                channel.close();
                await("[02.2] every receiver waiting at close() to wake up: wake every waiter, not just one "
                      + "(README 02.2)").atMost(PATIENCE).until(() -> receivers.stream().allMatch(Background::isDone));
                for (Background<Received<String>> receiver : receivers) {
                    assertThat(receiver.await(PATIENCE))
                            .as("[02.2] close() should wake every waiting receiver with (null, false), not just one")
                            .isEqualTo(Received.closed());
                }
            } finally {
                stop(receivers.toArray(Background[]::new));
            }
        }

        @Test
        @DisplayName("a waiting sender fails, on an unbuffered and on a full buffered channel")
        void aWaitingSenderFails() throws InterruptedException {
            Channel<String> unbuffered = new Channel<>(0);
            Channel<String> full = new Channel<>(1);
            full.send("fills the buffer");
            Background<Void> first = Background.run("[02.2] send() waiting on an unbuffered channel at close",
                    () -> unbuffered.send("never received"));
            Background<Void> second = Background.run("[02.2] send() waiting on a full channel at close",
                    () -> full.send("never buffered"));
            try {
                awaitWaiting(first, "02.2", "send() on an unbuffered channel returned before any receiver came");
                awaitWaiting(second, "02.2", "send() into a full buffer returned although there was no room");
                unbuffered.close();
                full.close();

                for (Background<Void> sender : List.of(first, second)) {
                    assertThat(catchThrowable(() -> sender.await(PATIENCE)))
                            .as("[02.2] a send waiting when the channel is closed must fail with "
                                + "ChannelClosedException (README 02.2)")
                            .isInstanceOf(ChannelClosedException.class);
                }
                List<Received<String>> drained = Background.call("[02.2] draining the closed channel",
                        () -> List.of(full.receive(), full.receive())).await(PATIENCE);
                assertThat(drained)
                        .as("[02.2] two receives from the closed channel gave %s; expected the value buffered before "
                            + "the close, then closed: %s (README 02.2)", drained, whatWentWrong(drained))
                        .containsExactly(Received.of("fills the buffer"), Received.closed());
            } finally {
                stop(first, second);
            }
        }
    }

    /** Says what a drain of the full channel shows, for {@link WhenThreadsAreWaiting#aWaitingSenderFails}. */
    private static String whatWentWrong(List<Received<String>> drained) {
        if (drained.contains(Received.of("never buffered"))) {
            return "the value of the send that failed went into the buffer; a send that fails leaves nothing behind";
        }
        if (drained.getFirst().equals(Received.closed())) {
            return "close() emptied the buffer; values buffered before close() are still received";
        }
        return "nothing more should be there";
    }

    @Test
    @DisplayName("receivers that loop until closed get every value exactly once, and all of them stop")
    void receiversLoopUntilClosed() throws InterruptedException {
        Channel<Integer> channel = new Channel<>(4);
        Map<Integer, Integer> seen = new ConcurrentHashMap<>();
        Background.run("[02.2] 3 receivers looping until closed, 3,000 values", () -> {
            List<Future<?>> tasks = new ArrayList<>();
            try (ExecutorService receivers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int r = 0; r < 3; r++) {
                    tasks.add(receivers.submit(() -> {
                        for (Received<Integer> next = channel.receive(); next.ok(); next = channel.receive()) {
                            seen.merge(next.value(), 1, Integer::sum);
                        }
                        return null;
                    }));
                }
                try {
                    for (int i = 0; i < 3_000; i++) {
                        channel.send(i);
                    }
                    channel.close();
                } catch (RuntimeException e) {
                    receivers.shutdownNow(); // the receivers would wait for a close that never comes
                    throw e;
                }
            }
            rethrowFailures(tasks);
        }).await(PATIENCE);

        assertThat(seen).as("[02.2] each value sent before close should be received exactly once")
                .hasSize(3_000)
                .allSatisfy((value, times) -> assertThat(times).as("[02.2] value %d arrived %d times", value, times)
                        .isEqualTo(1));
    }
}
