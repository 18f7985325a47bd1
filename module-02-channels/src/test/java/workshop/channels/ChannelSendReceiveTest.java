package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.rethrowFailures;
import static workshop.support.testing.Parked.stop;

@Tag("02.1")
@DisplayName("02.1 Channel: send and receive")
class ChannelSendReceiveTest {

    @Test
    @DisplayName("a negative capacity is an error, as make(chan T, -1) panics")
    void aNegativeCapacityIsAnError() {
        assertThat(catchThrowable(() -> new Channel<String>(-1)))
                .as("[02.1] new Channel<>(-1) must throw IllegalArgumentException (README 02.1)")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    @DisplayName("an unbuffered channel")
    class Unbuffered {

        private final Channel<String> channel = new Channel<>(0);

        @Test
        @DisplayName("makes a send wait until a receiver has taken the value: a rendezvous, not a one-slot buffer")
        void sendWaitsForItsReceiver() throws InterruptedException {
            Background<Void> sender = Background.run("[02.1] send(\"ping\") on an unbuffered channel",
                    () -> channel.send("ping"));
            try {
                awaitWaiting(sender, "02.1", "send on an unbuffered channel returned before any receiver came: "
                        + "that is a one-slot buffer, not a rendezvous");

                Received<String> received = Background.call("[02.1] receive()", channel::receive).await(PATIENCE);

                assertThat(received).as("[02.1] the receiver should get the sender's value")
                        .isEqualTo(Received.of("ping"));
                sender.await(PATIENCE);
            } finally {
                stop(sender);
            }
        }

        @Test
        @DisplayName("makes a receive wait until a sender comes")
        void receiveWaitsForASender() throws InterruptedException {
            Background<Received<String>> receiver = Background.call("[02.1] receive() on an unbuffered channel",
                    channel::receive);
            try {
                awaitWaiting(receiver, "02.1", "receive() returned although nothing was sent");

                awaitWatching("02.1", "a send to a waiting receiver did not complete: the waiting receiver should "
                        + "take the value",
                        Background.run("[02.1] send(\"pong\") to a waiting receiver",
                        () -> channel.send("pong")), receiver);

                assertThat(receiver.await(PATIENCE)).as("[02.1] the waiting receiver should get the value sent")
                        .isEqualTo(Received.of("pong"));
            } finally {
                stop(receiver);
            }
        }
    }

    @Nested
    @DisplayName("a buffered channel")
    class Buffered {

        private final Channel<String> channel = new Channel<>(2);

        @Test
        @DisplayName("takes sends up to its capacity without waiting, then makes the next send wait for room")
        void sendWaitsOnlyWhenFull() throws InterruptedException {
            Background.run("[02.1] two sends into a channel of capacity 2", () -> {
                channel.send("a");
                channel.send("b");
            }).await(PATIENCE);
            Background<Void> third = Background.run("[02.1] a third send into a full channel of capacity 2",
                    () -> channel.send("c"));
            try {
                awaitWaiting(third, "02.1", "a send into a full buffer returned: it should wait until there is room");

                assertThat(channel.receive()).as("[02.1] the first value out is the first value sent (FIFO)")
                        .isEqualTo(Received.of("a"));
                third.await(PATIENCE);
                assertThat(List.of(channel.receive(), channel.receive()))
                        .as("[02.1] the rest come out in the order they were sent")
                        .containsExactly(Received.of("b"), Received.of("c"));
            } finally {
                stop(third);
            }
        }

        @Test
        @DisplayName("makes a receive wait while the buffer is empty")
        void receiveWaitsWhileEmpty() throws InterruptedException {
            Background<Received<String>> receiver = Background.call("[02.1] receive() on an empty buffered channel",
                    channel::receive);
            try {
                awaitWaiting(receiver, "02.1", "receive() on an empty buffer returned although nothing was sent");
                channel.send("x");
                assertThat(receiver.await(PATIENCE)).as("[02.1] the waiting receiver should get the value sent")
                        .isEqualTo(Received.of("x"));
            } finally {
                stop(receiver);
            }
        }

        @Test
        @DisplayName("hands values over in the order they were sent")
        void handsValuesOverInOrder() throws InterruptedException {
            Channel<Integer> numbers = new Channel<>(4);
            Background<Void> producer = Background.run("[02.1] a producer sending 0..999", () -> {
                for (int i = 0; i < 1_000; i++) {
                    numbers.send(i);
                }
            });
            List<Integer> received = awaitWatching("02.1", "the consumer did not get 1,000 values: were values lost "
                    + "between sender and receiver?",
                        Background.call("[02.1] a consumer receiving 1,000 values", () -> {
                List<Integer> values = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    values.add(numbers.receive().value());
                }
                return values;
            }), producer);
            producer.await(PATIENCE);

            assertThat(received).as("[02.1] values should come out in the order they went in (FIFO)")
                    .containsExactlyElementsOf(IntStream.range(0, 1_000).boxed().toList());
        }
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 8})
    @DisplayName("delivers every value exactly once with four senders and four receivers")
    void deliversEveryValueExactlyOnce(int capacity) throws InterruptedException {
        Channel<Integer> channel = new Channel<>(capacity);
        int perThread = 2_500;
        Map<Integer, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger nulls = new AtomicInteger();
        Background.run("[02.1] 4 senders and 4 receivers, 10,000 values, capacity " + capacity, () -> {
            List<Future<?>> tasks = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int s = 0; s < 4; s++) {
                    int first = s * perThread;
                    tasks.add(threads.submit(() -> {
                        for (int i = first; i < first + perThread; i++) {
                            channel.send(i);
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < 4; r++) {
                    tasks.add(threads.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            Integer value = channel.receive().value();
                            if (value == null) {
                                nulls.incrementAndGet();
                            } else {
                                seen.merge(value, 1, Integer::sum);
                            }
                        }
                        return null;
                    }));
                }
            }
            rethrowFailures(tasks);
        }).await(PATIENCE);

        assertThat(nulls.get()).as("[02.1] receives that gave no value (null) with 4 senders and 4 receivers")
                .isZero();
        assertThat(seen).as("[02.1] each of 10,000 values should arrive exactly once: lost or duplicated values "
                            + "mean the channel's state is not guarded (README 02.1)")
                .hasSize(4 * perThread)
                .allSatisfy((value, times) -> assertThat(times).as("[02.1] value %d arrived %d times", value, times)
                        .isEqualTo(1));
    }

    @Nested
    @DisplayName("when a waiting call is woken up with nothing to do (a spurious wake-up)")
    class WhenWokenSpuriously {

        private final Channel<String> channel = new Channel<>(0);

        /** Runs {@code call}; a runtime exception it throws after a spurious wake-up is the failure to explain. */
        private static <T> Callable<T> explained(String what, Callable<T> call) {
            return () -> {
                try {
                    return call.call();
                } catch (NotSolvedYet e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new AssertionError("[02.1] " + what + " threw " + e + " after a spurious wake-up "
                            + "(LockSupport.unpark, with no counterpart): a woken waiter must check whether it was "
                            + "completed, and park again if not: wait in a loop, never with a single if (README 02.1)",
                            e);
                }
            };
        }

        @Test
        @DisplayName("a receive goes back to waiting, and later gets the value sent")
        void aReceiveGoesBackToWaiting() throws InterruptedException {
            Background<Received<String>> receiver = Background.call("[02.1] receive() woken up with nothing sent",
                    explained("receive()", channel::receive));
            try {
                awaitWaiting(receiver, "02.1", "receive() returned although nothing was sent");
                SpuriousWakeups.wake(receiver, "02.1", "receive()");

                channel.send("real");
                assertThat(receiver.await(PATIENCE))
                        .as("[02.1] after spurious wake-ups, the receiver should still get the value sent")
                        .isEqualTo(Received.of("real"));
            } finally {
                stop(receiver);
            }
        }

        @Test
        @DisplayName("a send goes back to waiting, and returns only once a receiver has taken the value")
        void aSendGoesBackToWaiting() throws InterruptedException {
            Background<String> sender = Background.call("[02.1] send(\"real\") woken up with no receiver",
                    explained("send()", () -> {
                        channel.send("real");
                        return "sent";
                    }));
            try {
                awaitWaiting(sender, "02.1", "send on an unbuffered channel returned before any receiver came");
                SpuriousWakeups.wake(sender, "02.1", "send()");

                assertThat(Background.call("[02.1] receive() after the spurious wake-ups", channel::receive)
                        .await(PATIENCE))
                        .as("[02.1] after spurious wake-ups, the waiting sender's value should still be delivered")
                        .isEqualTo(Received.of("real"));
                assertThat(sender.await(PATIENCE)).as("[02.1] the send should return once its value was taken")
                        .isEqualTo("sent");
            } finally {
                stop(sender);
            }
        }
    }

    @Nested
    @DisplayName("when a waiting call is interrupted")
    class WhenInterrupted {

        private final Channel<String> channel = new Channel<>(0);

        @Test
        @DisplayName("a send throws InterruptedException and its value is never delivered")
        void aSendIsAsIfItNeverHappened() throws InterruptedException {
            Background<String> sender = Background.call("[02.1] send(\"lost\") then interrupted", () -> {
                try {
                    channel.send("lost");
                    return "returned";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            Background<Received<String>> receiver = null;
            try {
                awaitWaiting(sender, "02.1", "send on an unbuffered channel returned before any receiver came");
                sender.thread().interrupt();
                assertThat(sender.await(PATIENCE)).as("[02.1] an interrupted send() should throw InterruptedException")
                        .isEqualTo("interrupted");

                receiver = Background.call("[02.1] receive() after the interrupted send", channel::receive);
                awaitWaiting(receiver, "02.1", "receive() got a value from a send that was interrupted: an interrupted "
                        + "send must leave the channel as if it had never happened");
                channel.send("kept");
                assertThat(receiver.await(PATIENCE)).as("[02.1] the receiver should get the next value sent")
                        .isEqualTo(Received.of("kept"));
            } finally {
                stop(sender, receiver);
            }
        }

        @Test
        @DisplayName("a receive throws InterruptedException and takes nothing from a later send")
        void aReceiveTakesNothingLater() throws InterruptedException {
            Background<String> receiver = Background.call("[02.1] receive() then interrupted", () -> {
                try {
                    channel.receive();
                    return "returned";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            Background<Void> sender = null;
            try {
                awaitWaiting(receiver, "02.1", "receive() returned although nothing was sent");
                receiver.thread().interrupt();
                assertThat(receiver.await(PATIENCE))
                        .as("[02.1] an interrupted receive() should throw InterruptedException")
                        .isEqualTo("interrupted");

                sender = Background.run("[02.1] send(\"x\") after the only receiver was interrupted",
                        () -> channel.send("x"));
                awaitWaiting(sender, "02.1", "send() returned although the only receiver had been interrupted: the "
                        + "value went to a receiver that is gone");
                assertThat(channel.receive()).as("[02.1] a new receiver should get the value")
                        .isEqualTo(Received.of("x"));
                sender.await(PATIENCE);
            } finally {
                stop(receiver, sender);
            }
        }
    }
}
