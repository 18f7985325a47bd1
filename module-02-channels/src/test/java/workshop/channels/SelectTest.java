package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.isParked;
import static workshop.support.testing.Parked.rethrowFailures;
import static workshop.support.testing.Parked.stop;

@Tag("02.5")
@DisplayName("02.5 Select")
class SelectTest {

    private final Channel<String> first = new Channel<>(1);
    private final Channel<String> second = new Channel<>(1);
    private final Channel<String> unbuffered = new Channel<>(0);
    private final Channel<String> otherUnbuffered = new Channel<>(0);

    /** A select over two receive cases that says which case ran and what it got. */
    private static Select<String> receiveEither(Channel<String> a, Channel<String> b) {
        return Select.<String>select()
                .receive(a, r -> "a:" + r.value() + ":" + r.ok())
                .receive(b, r -> "b:" + r.value() + ":" + r.ok());
    }

    @Nested
    @DisplayName("when a case is ready")
    class WhenACaseIsReady {

        @Test
        @DisplayName("runs that case, not the default")
        void runsTheReadyCase() throws InterruptedException {
            second.send("v");

            String chosen = Background.call("[02.5] select with one ready case and a default",
                    () -> receiveEither(first, second).orDefault(() -> "default").run()).await(PATIENCE);

            assertThat(chosen).as("[02.5] the second channel holds a value: its case should run").isEqualTo("b:v:true");
        }

        @Test
        @DisplayName("never runs the default while a case is ready")
        void neverRunsTheDefaultWhileACaseIsReady() throws InterruptedException {
            int defaults = Background.call("[02.5] 200 selects with a ready case and a default", () -> {
                int count = 0;
                for (int i = 0; i < 200; i++) {
                    first.send("again");
                    String chosen = receiveEither(first, second).orDefault(() -> "default").run();
                    if (chosen.equals("default")) {
                        count++;
                        first.receive();
                    }
                }
                return count;
            }).await(PATIENCE);

            assertThat(defaults).as("[02.5] default ran %d of 200 times although a case was ready: default is only "
                                    + "for when no case is ready (README 02.5)", defaults).isZero();
        }

        @Test
        @DisplayName("chooses at random among several ready cases, each about as often")
        void choosesFairly() throws InterruptedException {
            Channel<String> empty = new Channel<>(1);
            Channel<String> third = new Channel<>(1);
            int rounds = 3_000;
            Map<String, Integer> chosen = Background.call("[02.5] 3,000 selects with three ready cases", () -> {
                Map<String, Integer> counts = new ConcurrentHashMap<>(Map.of("a", 0, "b", 0, "c", 0));
                first.send("a");
                second.send("b");
                third.send("c");
                for (int i = 0; i < rounds; i++) {
                    // a case that is never ready comes first: scanning round from a random start is not random
                    String which = Select.<String>select()
                            .receive(empty, r -> "never ready")
                            .receive(first, r -> "a").receive(second, r -> "b").receive(third, r -> "c")
                            .run();
                    counts.merge(which, 1, Integer::sum);
                    if (!which.equals("never ready")) {
                        (which.equals("a") ? first : which.equals("b") ? second : third).send(which); // ready again
                    }
                }
                return counts;
            }).await(PATIENCE);

            assertThat(chosen).as("[02.5] a case on an empty channel ran").doesNotContainKey("never ready");
            // each case is chosen with chance 1/3: 1,000 expected, standard deviation 26; [800, 1200] fails by
            // chance less than once in 10^12 runs. A scan from a random start, going round, picks "a" half the time.
            assertThat(chosen.values())
                    .as("[02.5] how often each of three always-ready cases was chosen in %d selects: %s. When several "
                        + "cases are ready, choose one at random, each with the same chance (README 02.5)",
                            rounds, chosen)
                    .allSatisfy(count -> assertThat(count).isBetween(800, 1_200));
        }

        @Test
        @DisplayName("receives from a closed channel: its case is ready, with (null, false)")
        void aClosedChannelIsReady() throws InterruptedException {
            first.close();

            String chosen = Background.call("[02.5] select on a closed channel with a default",
                    () -> receiveEither(first, second).orDefault(() -> "default").run()).await(PATIENCE);

            assertThat(chosen).as("[02.5] a receive case on a closed channel is ready, and gets (null, false)")
                    .isEqualTo("a:null:false");
        }

        @Test
        @DisplayName("fails a send case on a closed channel, as a send does")
        void aSendOnAClosedChannelFails() {
            first.close();

            assertThat(catchThrowable(() -> Select.<String>select().send(first, "late", () -> "sent").run()))
                    .as("[02.5] a send case on a closed channel must throw ChannelClosedException")
                    .isInstanceOf(ChannelClosedException.class);
        }
    }

    @Nested
    @DisplayName("when no case is ready")
    class WhenNoCaseIsReady {

        @Test
        @DisplayName("runs the default at once, and leaves no one waiting on the channels")
        void runsTheDefault() throws InterruptedException {
            String chosen = Background.call("[02.5] select with no ready case and a default",
                    () -> Select.<String>select().receive(unbuffered, r -> "received")
                            .send(otherUnbuffered, "offer", () -> "sent")
                            .orDefault(() -> "default").run()).await(PATIENCE);

            assertThat(chosen).as("[02.5] no case is ready: the default should run").isEqualTo("default");
            assertThat(List.of(unbuffered.trySend("after"), otherUnbuffered.tryReceive()))
                    .as("[02.5] after a select ran its default, nothing of it may remain on its channels: no "
                        + "receiver waiting, no value offered (README 02.5)")
                    .containsExactly(false, new Poll.WouldBlock<String>());
        }

        @Test
        @DisplayName("waits until a send comes, then receives it: a waiting select counts as a receiver")
        void waitsForASend() throws InterruptedException {
            Background<String> select = Background.call("[02.5] select waiting on two unbuffered channels",
                    () -> receiveEither(unbuffered, otherUnbuffered).run());
            try {
                awaitWaiting(select, "02.5", "select returned although no case was ready and there is no default");

                awaitWatching("02.5", "a send to a channel that a select waits on did not complete: a waiting select "
                        + "counts as a receiver on every channel it waits on",
                        Background.run("[02.5] send(\"hi\") to a channel a select waits on",
                        () -> otherUnbuffered.send("hi")), select);

                assertThat(select.await(PATIENCE)).as("[02.5] the select should run the case of the channel sent to")
                        .isEqualTo("b:hi:true");
            } finally {
                stop(select);
            }
        }

        @Test
        @DisplayName("waits until a receiver comes, then sends to it")
        void waitsForAReceiver() throws InterruptedException {
            Background<String> select = Background.call("[02.5] select with two send cases on unbuffered channels",
                    () -> Select.<String>select()
                            .send(unbuffered, "to a", () -> "sent a")
                            .send(otherUnbuffered, "to b", () -> "sent b")
                            .run());
            try {
                awaitWaiting(select, "02.5", "select returned although no receiver came and there is no default");

                Received<String> received = awaitWatching("02.5", "a receive from a channel that a select waits to "
                        + "send on did not complete: a waiting select counts as a sender there",
                        Background.call("[02.5] receive() from a channel a select "
                                                                          + "sends on", unbuffered::receive), select);

                assertThat(received).as("[02.5] the receiver should get the select's value for its channel")
                        .isEqualTo(Received.of("to a"));
                assertThat(select.await(PATIENCE)).as("[02.5] the select should run the send case that happened")
                        .isEqualTo("sent a");
                assertThat(otherUnbuffered.tryReceive())
                        .as("[02.5] the send case that was not chosen must not leave its value on its channel")
                        .isEqualTo(new Poll.WouldBlock<String>());
            } finally {
                stop(select);
            }
        }

        @Test
        @DisplayName("lets go of the cases it did not choose: a later send there finds no receiver")
        void lostCasesLeaveNothingBehind() throws InterruptedException {
            Background<String> select = Background.call("[02.5] select waiting on two unbuffered channels",
                    () -> receiveEither(unbuffered, otherUnbuffered).run());
            try {
                awaitWaiting(select, "02.5", "select returned although no case was ready and there is no default");
                awaitWatching("02.5", "a send to a channel that a select waits on did not complete: a waiting select "
                        + "counts as a receiver on every channel it waits on",
                        Background.run("[02.5] send(\"one\")", () -> unbuffered.send("one")), select);
                assertThat(select.await(PATIENCE)).as("[02.5] the select should run the case sent to")
                        .isEqualTo("a:one:true");

                assertThat(otherUnbuffered.trySend("two"))
                        .as("[02.5] trySend() found a receiver on the channel whose case the finished select did not "
                            + "choose: the value went to a select that is gone (README 02.5)")
                        .isFalse();
            } finally {
                stop(select);
            }
        }

        @Test
        @DisplayName("meets a select on the other side of an unbuffered channel")
        void meetsAnotherSelect() throws InterruptedException {
            Background<String> receiving = Background.call("[02.5] select receiving from an unbuffered channel",
                    () -> receiveEither(unbuffered, otherUnbuffered).run());
            Background<String> sending = null;
            try {
                awaitWaiting(receiving, "02.5", "select returned although no case was ready and there is no default");
                sending = Background.call("[02.5] select sending to the same unbuffered channel",
                        () -> Select.<String>select().send(otherUnbuffered, "met", () -> "sent")
                                .send((Channel<String>) null, "never", () -> "nil channel")
                                .run());

                assertThat(awaitWatching("02.5", "a select sending on an unbuffered channel did not meet a select "
                        + "waiting to receive on it",
                        sending, receiving))
                        .as("[02.5] a select sending on an unbuffered channel should meet a select receiving on it")
                        .isEqualTo("sent");
                assertThat(receiving.await(PATIENCE)).as("[02.5] the receiving select should get the value")
                        .isEqualTo("b:met:true");
            } finally {
                stop(receiving, sending);
            }
        }

        @Test
        @DisplayName("wakes up with (null, false) when a channel it waits to receive from is closed")
        void wakesWhenAReceiveChannelIsClosed() throws InterruptedException {
            Background<String> select = Background.call("[02.5] select waiting on two unbuffered channels",
                    () -> receiveEither(unbuffered, otherUnbuffered).run());
            try {
                awaitWaiting(select, "02.5", "select returned although no case was ready and there is no default");
                unbuffered.close();
                assertThat(awaitWatching("02.5", "a select waiting to receive from a channel did not wake up when "
                        + "the channel was closed: close() must wake waiting selects too", select))
                        .as("[02.5] a receive case whose channel is closed while the select waits gets (null, false)")
                        .isEqualTo("a:null:false");
            } finally {
                stop(select);
            }
        }

        @Test
        @DisplayName("fails when a channel it waits to send on is closed")
        void failsWhenASendChannelIsClosed() throws InterruptedException {
            Background<String> select = Background.call("[02.5] select waiting to send on an unbuffered channel",
                    () -> Select.<String>select().send(unbuffered, "never taken", () -> "sent")
                            .receive(otherUnbuffered, r -> "received").run());
            try {
                awaitWaiting(select, "02.5", "select returned although no case was ready and there is no default");
                unbuffered.close();
                await("[02.5] a select waiting to send on a channel to fail when the channel is closed (README 02.5)")
                        .atMost(PATIENCE).until(select::isDone);
                assertThat(catchThrowable(() -> select.await(PATIENCE)))
                        .as("[02.5] a send case whose channel is closed while the select waits fails, as a send does")
                        .isInstanceOf(ChannelClosedException.class);
            } finally {
                stop(select);
            }
        }

        @Test
        @DisplayName("keeps nothing of the cases it did not choose: their values can be garbage collected")
        void keepsNothingOfTheCasesItDidNotChoose() throws InterruptedException {
            Channel<Object> kept = new Channel<>(0);      // stays alive, never used again
            Channel<String> chosenChannel = new Channel<>(0);
            WeakReference<Object> payload = offerAndForget(kept, chosenChannel);

            await("[02.5] the value of a send case that was not chosen to be garbage collected: the channel still "
                  + "holds it, so the select left its waiter behind. Remove your waiters from every channel when the "
                  + "select ends (README 02.5)")
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        System.gc();
                        return payload.get() == null;
                    });
            assertThat(kept.cap()).as("[02.5] the channel the select did not choose").isZero();
        }

        /** A select offers a fresh object on one channel and is completed on the other; the object is forgotten. */
        private WeakReference<Object> offerAndForget(Channel<Object> offeredOn, Channel<String> completedOn)
                throws InterruptedException {
            Object value = new byte[1024];
            WeakReference<Object> reference = new WeakReference<>(value);
            Background<String> select = Background.call("[02.5] select offering a value on one channel",
                    () -> Select.<String>select().send(offeredOn, value, () -> "sent")
                            .receive(completedOn, r -> "received").run());
            try {
                awaitWaiting(select, "02.5", "select returned although no case was ready and there is no default");
                awaitWatching("02.5", "a send to a channel that a select waits on did not complete: a waiting "
                        + "select counts as a receiver on every channel it waits on",
                        Background.run("[02.5] send(\"done\")", () -> completedOn.send("done")), select);
                assertThat(select.await(PATIENCE)).as("[02.5] the select should run the case sent to")
                        .isEqualTo("received");
            } finally {
                stop(select);
            }
            return reference;
        }

        @Test
        @DisplayName("never chooses a case on a null channel, Go's nil channel")
        void aNilChannelIsNeverReady() throws InterruptedException {
            String chosen = Background.call("[02.5] select on a nil channel with a default",
                    () -> Select.<String>select().receive((Channel<String>) null, r -> "nil")
                            .orDefault(() -> "default").run()).await(PATIENCE);

            assertThat(chosen).as("[02.5] a case on a null channel is never ready: the default should run")
                    .isEqualTo("default");
        }
    }

    @Nested
    @DisplayName("with a timeout")
    class WithATimeout {

        @Test
        @DisplayName("runs the timeout case when nothing happens in time, not before, and lets go of the channels")
        void runsTheTimeoutCase() throws InterruptedException {
            Duration timeout = Duration.ofMillis(200);
            long start = System.nanoTime();
            String chosen = Background.call("[02.5] select with a 200 ms timeout",
                    () -> receiveEither(unbuffered, otherUnbuffered).orTimeout(timeout, () -> "timeout").run())
                    .await(PATIENCE);
            long waitedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            assertThat(chosen).as("[02.5] nothing was sent: the timeout case should run").isEqualTo("timeout");
            assertThat(waitedMillis).as("[02.5] the timeout case ran after %d ms, before the 200 ms timeout",
                    waitedMillis).isGreaterThanOrEqualTo(timeout.toMillis());
            assertThat(unbuffered.trySend("after"))
                    .as("[02.5] after a select timed out, nothing of it may remain on its channels")
                    .isFalse();
        }

        @Test
        @DisplayName("runs a case that becomes ready before the timeout, without waiting for the timeout")
        void aCaseBeforeTheTimeoutWins() throws InterruptedException {
            Background<String> select = Background.call("[02.5] select with a 1-hour timeout",
                    () -> receiveEither(unbuffered, otherUnbuffered).orTimeout(Duration.ofHours(1), () -> "timeout")
                            .run());
            try {
                awaitParked(select, "02.5", "select returned although no case was ready and the timeout is an hour");
                awaitWatching("02.5", "a send to a channel that a select waits on did not complete, although its "
                        + "timeout is an hour away",
                        Background.run("[02.5] send(\"soon\")", () -> unbuffered.send("soon")), select);
                assertThat(select.await(PATIENCE)).as("[02.5] the case sent to should run, long before the timeout")
                        .isEqualTo("a:soon:true");
            } finally {
                stop(select);
            }
        }

        static Stream<Arguments> timeoutsTooLongToCount() {
            return Stream.of(
                    Arguments.of("Duration.ofNanos(Long.MAX_VALUE), 292 years",
                            Duration.ofNanos(Long.MAX_VALUE)),
                    Arguments.of("Duration.ofDays(365,000), 1,000 years",
                            Duration.ofDays(365_000)),
                    Arguments.of("ChronoUnit.FOREVER.getDuration()",
                            ChronoUnit.FOREVER.getDuration()));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("timeoutsTooLongToCount")
        @DisplayName("treats a timeout too long to count in nanoseconds as never: it waits until a case is ready")
        void aTimeoutTooLongToCountIsNever(String label, Duration forever) throws InterruptedException {
            Background<String> select = Background.call("[02.5] select with orTimeout(" + label + ")", () -> {
                try {
                    return receiveEither(unbuffered, otherUnbuffered).orTimeout(forever, () -> "timeout").run();
                } catch (ArithmeticException | java.time.DateTimeException e) {
                    throw new AssertionError("[02.5] select with orTimeout(" + label + ") threw " + e + ": a "
                            + "timeout too long to count in nanoseconds (Duration.toNanos() overflows) means never. "
                            + "Saturate it instead of computing with it (README 02.5)", e);
                }
            });
            try {
                awaitParked(select, "02.5", "select with orTimeout(" + label + ") returned at once although no case "
                        + "was ready: a deadline of now + timeout overflowed and lies in the past. A timeout that "
                        + "long means never; saturate it, and compare elapsed time with it, not now with a deadline");
                awaitWatching("02.5", "a send to a channel that a select waits on did not complete",
                        Background.run("[02.5] send(\"at last\")", () -> unbuffered.send("at last")), select);
                assertThat(select.await(PATIENCE))
                        .as("[02.5] the case sent to should run: with orTimeout(%s) the select waits for it", label)
                        .isEqualTo("a:at last:true");
            } finally {
                stop(select);
            }
        }
    }

    @Nested
    @DisplayName("woken up with nothing to do (a spurious wake-up)")
    class WhenWokenSpuriously {

        @Test
        @DisplayName("goes back to waiting, and still completes exactly one case later")
        void goesBackToWaiting() throws InterruptedException {
            Background<String> select = Background.call("[02.5] select woken up with nothing to do", () -> {
                try {
                    return receiveEither(unbuffered, otherUnbuffered).run();
                } catch (NotSolvedYet e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new AssertionError("[02.5] select threw " + e + " after a spurious wake-up "
                            + "(LockSupport.unpark with nothing sent): a woken waiter must check whether it was "
                            + "completed, and park again if not: wait in a loop, never with a single if "
                            + "(README 02.5)", e);
                }
            });
            try {
                awaitWaiting(select, "02.5", "select returned although no case was ready and there is no default");
                SpuriousWakeups.wake(select, "02.5", "select");
                awaitWatching("02.5", "a send to a channel that a select waits on did not complete after the select "
                        + "was woken up spuriously", Background.run("[02.5] send(\"real\")",
                        () -> otherUnbuffered.send("real")), select);
                assertThat(select.await(PATIENCE)).as("[02.5] after spurious wake-ups, the select should still run "
                        + "the case sent to").isEqualTo("b:real:true");
            } finally {
                stop(select);
            }
        }
    }

    @Nested
    @DisplayName("with many waiters on one channel")
    class WithManyWaiters {

        private static final int SELECTS = 5_000;
        private static final int SHARED_CASES = 200;
        private static final int LEAVING = 300;

        /**
         * Go's waitq is a doubly linked list: a select that ends takes each of its waiters off a channel in O(1),
         * however many others wait there. Here 5,000 selects wait, each with 200 receive cases on one shared channel
         * (1,000,000 waiters there) and one case on a channel of its own. Then 300 of them, picked at random, are
         * completed through their own channels, one after another: each one that returns completes the next. With
         * O(1) removal the 300 are done in milliseconds, even on a loaded machine; a removal that scans the shared
         * queue costs about 300 x 200 x 500,000 steps (30 billion), which takes seconds on the fastest machine. The
         * test stops after its budget; closing the shared channel then ends every select at once.
         */
        @Test
        @DisplayName("lets go of it in constant time per waiter: 300 selects leave a channel where 1,000,000 wait")
        void lettingGoStaysCheap() throws Exception {
            Duration budget = Patience.seconds(1);
            Channel<String> shared = new Channel<>(0);
            List<Channel<String>> own = IntStream.range(0, SELECTS).mapToObj(i -> new Channel<String>(0)).toList();
            List<Integer> order = new ArrayList<>(IntStream.range(0, SELECTS).boxed().toList());
            Collections.shuffle(order, new Random(2));
            Map<Integer, Integer> nextToLeave = new ConcurrentHashMap<>();
            for (int k = 0; k + 1 < LEAVING; k++) {
                nextToLeave.put(order.get(k), order.get(k + 1));
            }
            int lastToLeave = order.get(LEAVING - 1);
            CompletableFuture<Long> lastLeft = new CompletableFuture<>();
            AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(SELECTS);
            List<Future<String>> results = new ArrayList<>();
            long tookMillis = -1;
            ExecutorService selecting = Executors.newVirtualThreadPerTaskExecutor();
            try {
                for (int i = 0; i < SELECTS; i++) {
                    int index = i;
                    results.add(selecting.submit(() -> {
                        threads.set(index, Thread.currentThread());
                        Select<String> select = Select.select();
                        for (int c = 0; c < SHARED_CASES; c++) {
                            select.receive(shared, r -> r.ok() ? "shared" : "shared closed");
                        }
                        String chosen = select.receive(own.get(index), r -> "own").run();
                        Integer next = nextToLeave.get(index);
                        if (next != null) {
                            own.get(next).trySend("leave"); // the next one waits there: it leaves now
                        } else if (index == lastToLeave) {
                            lastLeft.complete(System.nanoTime());
                        }
                        return chosen;
                    }));
                }
                await("[02.5] 5,000 selects to wait (each with 200 cases on one shared channel, one on its own)")
                        .atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> {
                            rethrowFailures(results);
                            return IntStream.range(0, SELECTS)
                                    .allMatch(i -> threads.get(i) != null && isParked(threads.get(i)));
                        });

                long start = System.nanoTime();
                own.get(order.getFirst()).send("leave");
                try {
                    tookMillis = Duration.ofNanos(lastLeft.get(budget.toMillis(), TimeUnit.MILLISECONDS) - start)
                            .toMillis();
                } catch (TimeoutException tooSlow) {
                    long gone = order.subList(0, LEAVING).stream().filter(i -> results.get(i).isDone()).count();
                    rethrowFailures(results);
                    throw new AssertionError(("[02.5] 5,000 selects waited, each with 200 cases on one shared "
                            + "channel (1,000,000 waiters there) and one on a channel of its own; 300 of them were "
                            + "completed through their own channels, one after another, but after %d ms only %d had "
                            + "returned. A select that ends takes its waiters off every channel: if that scans the "
                            + "channel's queue, each of n waiters costs n steps, n^2 in all. Unlink a waiter in "
                            + "O(1), as Go's waitq does with a doubly linked list (README 02.5)")
                            .formatted(budget.toMillis(), gone));
                }
            } finally {
                try {
                    shared.close(); // every select still waiting ends with the closed shared channel
                } catch (RuntimeException notSolvedOrClosed) {
                    // nothing waits there then
                }
                selecting.shutdown();
                if (!selecting.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    selecting.shutdownNow();
                }
                selecting.close();
            }
            rethrowFailures(results);
            Set<Integer> leaving = Set.copyOf(order.subList(0, LEAVING));
            assertThat(IntStream.range(0, SELECTS).filter(i -> !results.get(i).resultNow()
                            .equals(leaving.contains(i) ? "own" : "shared closed")).boxed().toList())
                    .as("[02.5] the selects whose case did not run as expected: the 300 completed through their "
                        + "own channels should run that case (%d ms for all 300), the others the case of the shared "
                        + "channel, closed at the end (README 02.5)", tookMillis)
                    .isEmpty();
        }
    }

    @Test
    @DisplayName("answers interruption with InterruptedException, and lets go of the channels")
    void answersInterruption() throws InterruptedException {
        Background<String> select = Background.call("[02.5] select interrupted while it waits", () -> {
            try {
                return receiveEither(unbuffered, otherUnbuffered).run();
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        try {
            awaitWaiting(select, "02.5", "select returned although no case was ready and there is no default");
            select.thread().interrupt();
            assertThat(select.await(PATIENCE)).as("[02.5] an interrupted select should throw InterruptedException")
                    .isEqualTo("interrupted");
            assertThat(List.of(unbuffered.trySend("x"), otherUnbuffered.trySend("y")))
                    .as("[02.5] after an interrupted select, nothing of it may remain on its channels")
                    .containsExactly(false, false);
        } finally {
            stop(select);
        }
    }

    @Test
    @DisplayName("delivers every value exactly once when selects on both sides share four channels")
    void selectsOnBothSidesDeliverEveryValueOnce() throws InterruptedException {
        List<Channel<Integer>> channels = List.of(new Channel<>(0), new Channel<>(0), new Channel<>(2),
                new Channel<>(0));
        int perProducer = 1_000;
        Map<Integer, Integer> seen = new ConcurrentHashMap<>();
        Background.run("[02.5] 4 selecting senders and 4 selecting receivers over 4 channels", () -> {
            List<Future<?>> tasks = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int p = 0; p < 4; p++) {
                    int base = p * perProducer;
                    tasks.add(threads.submit(() -> {
                        for (int i = base; i < base + perProducer; i++) {
                            int value = i;
                            // send on whichever of two channels has a taker first
                            Select.<Void>select()
                                    .send(channels.get(value % 4), value, () -> null)
                                    .send(channels.get((value + 1) % 4), value, () -> null)
                                    .run();
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < 4; r++) {
                    tasks.add(threads.submit(() -> {
                        for (int i = 0; i < perProducer; i++) {
                            Select<Void> select = Select.select();
                            for (Channel<Integer> channel : channels) {
                                select.receive(channel, received -> {
                                    seen.merge(received.value(), 1, Integer::sum);
                                    return null;
                                });
                            }
                            select.run();
                        }
                        return null;
                    }));
                }
            }
            rethrowFailures(tasks);
        }).await(PATIENCE);

        assertThat(seen).as("[02.5] each of 4,000 values should arrive exactly once: a select must complete exactly "
                            + "one case, however many counterparts race for it (README 02.5)")
                .hasSize(4 * perProducer)
                .allSatisfy((value, times) -> assertThat(times).as("[02.5] value %d arrived %d times", value, times)
                        .isEqualTo(1));
    }
}
