package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("05.6")
@DisplayName("05.6 Publish and subscribe with backpressure")
class BroadcastTest {

    /**
     * A subscriber that notes what it receives. It requests everything at once, or one item at a time (from onNext,
     * after the item); it may hold its first onNext until the test lets it go, and throw on one item.
     */
    private static final class Recorder implements Flow.Subscriber<Integer> {
        final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger completions = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicReference<Thread> deliveredOn = new AtomicReference<>();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final boolean oneAtATime;
        final boolean holdFirst;
        final int failOn;
        final RuntimeException failure = new IllegalStateException("a subscriber that fails");
        volatile boolean calledAfterEnd;
        private Flow.Subscription subscription;

        private Recorder(boolean oneAtATime, boolean holdFirst, int failOn) {
            this.oneAtATime = oneAtATime;
            this.holdFirst = holdFirst;
            this.failOn = failOn;
        }

        static Recorder fast() {
            return new Recorder(false, false, -1);
        }

        static Recorder slow() {
            return new Recorder(true, true, -1);
        }

        static Recorder failingOn(int item) {
            return new Recorder(false, false, item);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(oneAtATime ? 1 : Long.MAX_VALUE);
        }

        @Override
        public void onNext(Integer item) {
            calledAfterEnd |= ended();
            deliveredOn.compareAndSet(null, Thread.currentThread());
            received.add(item);
            if (holdFirst && received.size() == 1) {
                holding.countDown();
                try {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS); // bounded: never a hang
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (item == failOn) {
                throw failure;
            }
            if (oneAtATime) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            calledAfterEnd |= ended();
            error.set(throwable);
        }

        @Override
        public void onComplete() {
            calledAfterEnd |= ended();
            completions.incrementAndGet();
        }

        boolean ended() {
            return completions.get() > 0 || error.get() != null;
        }

        List<Integer> snapshot() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }
    }

    private static List<Integer> items(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    /** Publishes 0 to count-1 on a thread of its own; {@code published} counts the calls that returned. */
    private static Background<Boolean> publisher(Broadcast<Integer> broadcast, int count, AtomicInteger published) {
        return Background.call("[05.6] publish(0.." + (count - 1) + ")", () -> {
            for (int i = 0; i < count; i++) {
                broadcast.publish(i);
                published.incrementAndGet();
            }
            return Thread.currentThread().isInterrupted();
        });
    }

    /** Closes on a thread of its own, and notes what each subscriber had had when close() returned. */
    private static Background<List<String>> closer(Broadcast<Integer> broadcast, List<Recorder> recorders) {
        return Background.call("[05.6] close()", () -> {
            broadcast.close();
            List<String> seen = new ArrayList<>();
            for (Recorder recorder : recorders) {
                seen.add(recorder.received.size() + " items, " + recorder.completions.get() + " onComplete");
            }
            return seen;
        });
    }

    @Test
    @DisplayName("delivers every item in order to every subscriber, not on the publisher's thread; close() completes")
    void deliversEveryItemToEverySubscriber() throws Exception {
        Broadcast<Integer> broadcast = new Broadcast<>(8);
        List<Recorder> recorders = List.of(Recorder.fast(), Recorder.fast(), Recorder.fast());
        recorders.forEach(broadcast::subscribe);
        AtomicInteger published = new AtomicInteger();
        Background<Boolean> publisher = publisher(broadcast, 50, published);
        try {
            awaitWatching("05.6", "publish() of 50 items to 3 subscribers that take everything did not return",
                    publisher);
            List<String> atClose = awaitWatching("05.6", "close() did not return", closer(broadcast, recorders));

            assertThat(atClose).as("[05.6] what each of 3 subscribers had had when close() returned: expected all "
                    + "50 items and onComplete; close() should return only once they are delivered (README 05.6)")
                    .containsOnly("50 items, 1 onComplete");
            for (Recorder recorder : recorders) {
                assertThat(recorder.snapshot()).as("[05.6] what a subscriber received, in order (README 05.6)")
                        .isEqualTo(items(50));
                assertThat(recorder.deliveredOn.get()).as("[05.6] onNext ran on the publisher's thread: deliver on "
                        + "threads of the broadcast, or one slow subscriber stalls the publisher and all the others "
                        + "(README 05.6)").isNotSameAs(publisher.thread());
                assertThat(recorder.error.get()).as("[05.6] onError of a subscriber that never failed (README 05.6)")
                        .isNull();
            }
        } finally {
            stop(publisher);
        }
    }

    @Nested
    @DisplayName("with a slow subscriber")
    class Slow {

        @Test
        @DisplayName("publish() waits, parked, once its buffer is full: bounded, nothing dropped, others still served")
        void publishWaitsForTheSlowSubscriber() throws Exception {
            int buffer = 4;
            Broadcast<Integer> broadcast = new Broadcast<>(buffer);
            Recorder slow = Recorder.slow();
            Recorder fast = Recorder.fast();
            broadcast.subscribe(slow);
            broadcast.subscribe(fast);
            AtomicInteger published = new AtomicInteger();
            Background<Boolean> publisher = publisher(broadcast, 100, published);
            try {
                awaitWaiting(publisher, "05.6", "publish() returned for all 100 items while one subscriber had taken "
                        + "a single item and held it: its buffer grew without bound, or items were dropped; publish() "
                        + "should wait (parked) for room in the buffer of " + buffer);
                int whileBlocked = published.get();
                assertThat(whileBlocked).as("[05.6] items published while a subscriber with a buffer of %d held its "
                        + "first item: expected at most %d (README 05.6)", buffer, buffer + 2)
                        .isLessThanOrEqualTo(buffer + 2);
                await("[05.6] the fast subscriber to receive the " + whileBlocked + " items published while the slow "
                        + "one holds its first: did the slow subscriber stall delivery to the others, one thread "
                        + "delivering to every subscriber? (README 05.6)").atMost(PATIENCE)
                        .until(() -> fast.received.size() >= whileBlocked);
                assertThat(published.get()).as("[05.6] items published while a subscriber with a buffer of %d held "
                        + "its first item, once the other subscriber had caught up: expected at most %d, publish() "
                        + "should still be waiting (README 05.6)", buffer, buffer + 2).isLessThanOrEqualTo(buffer + 2);

                publisher.thread().interrupt();
                awaitWaiting(publisher, "05.6", "an interrupted publish() returned while the buffer was still full: "
                        + "the contract is to wait for room, and to keep the interrupt status");
                slow.release.countDown();
                boolean interruptedAtEnd = awaitWatching("05.6", "publish() did not return once the slow subscriber "
                        + "took its items", publisher);
                assertThat(interruptedAtEnd).as("[05.6] the publisher's interrupt status after publish() returned: "
                        + "it was interrupted while waiting; keep the status set (README 05.6)").isTrue();

                awaitWatching("05.6", "close() did not return", closer(broadcast, List.of(slow, fast)));
                assertThat(slow.snapshot()).as("[05.6] what the slow subscriber received: every item in order, none "
                        + "dropped (README 05.6)").isEqualTo(items(100));
                assertThat(fast.snapshot()).as("[05.6] what the fast subscriber received (README 05.6)")
                        .isEqualTo(items(100));
            } finally {
                slow.release.countDown();
                stop(publisher);
            }
        }

        @Test
        @DisplayName("close() waits until the slow subscriber has had its items and onComplete")
        void closeWaitsForTheSlowSubscriber() throws Exception {
            Broadcast<Integer> broadcast = new Broadcast<>(4);
            Recorder slow = Recorder.slow();
            broadcast.subscribe(slow);
            Background<List<String>> closer = null;
            try {
                Background.run("[05.6] publish(0..2)", () -> {
                    for (int i = 0; i < 3; i++) {
                        broadcast.publish(i);
                    }
                }).await(PATIENCE);
                await("[05.6] the slow subscriber to take its first item").atMost(PATIENCE)
                        .until(() -> slow.holding.getCount() == 0);

                closer = closer(broadcast, List.of(slow));
                awaitParked(closer, "05.6", "close() returned while a subscriber still had items to take and no "
                        + "onComplete: wait until every subscriber has had them");
                slow.release.countDown();
                List<String> atClose = awaitWatching("05.6", "close() did not return once the slow subscriber "
                        + "took its items", closer);

                assertThat(atClose).as("[05.6] what the slow subscriber had had when close() returned (README 05.6)")
                        .containsExactly("3 items, 1 onComplete");
            } finally {
                slow.release.countDown();
                stop(closer);
            }
        }
    }

    @Test
    @DisplayName("a subscriber whose onNext throws gets onError with that exception and nothing more; the rest go on")
    void aFailingSubscriberStopsNoOther() throws Exception {
        Broadcast<Integer> broadcast = new Broadcast<>(4);
        Recorder failing = Recorder.failingOn(3);
        List<Recorder> others = List.of(Recorder.fast(), Recorder.fast());
        broadcast.subscribe(others.get(0));
        broadcast.subscribe(failing);
        broadcast.subscribe(others.get(1));
        AtomicInteger published = new AtomicInteger();
        Background<Boolean> publisher = publisher(broadcast, 20, published);
        try {
            awaitWatching("05.6", "publish() did not return while one subscriber failed and the others took "
                    + "everything: is a failed subscriber still counted as one whose buffer is full?", publisher);
            awaitWatching("05.6", "close() did not return", closer(broadcast, others));

            for (Recorder other : others) {
                assertThat(other.snapshot()).as("[05.6] what a subscriber received while another one threw on item "
                        + "3: expected all 20 items; one failing subscriber must not stop the others (README 05.6)")
                        .isEqualTo(items(20));
                assertThat(other.completions.get()).as("[05.6] onComplete of a healthy subscriber (README 05.6)")
                        .isEqualTo(1);
            }
            assertThat(failing.snapshot()).as("[05.6] what the failing subscriber received: items 0 to 3, where it "
                    + "threw, and nothing after; cancel it (README 05.6)").isEqualTo(items(4));
            assertThat(failing.error.get()).as("[05.6] onError of the subscriber whose onNext threw: expected that "
                    + "exception (README 05.6)").isSameAs(failing.failure);
            assertThat(failing.completions.get()).as("[05.6] onComplete of a subscriber that had already had onError "
                    + "(README 05.6)").isZero();
            assertThat(failing.calledAfterEnd).as("[05.6] a subscriber got a signal after onError (README 05.6)")
                    .isFalse();
        } finally {
            stop(publisher);
        }
    }

    @Test
    @DisplayName("close() a second time does nothing")
    void closeIsIdempotent() throws Exception {
        Broadcast<Integer> broadcast = new Broadcast<>(4);
        Recorder recorder = Recorder.fast();
        broadcast.subscribe(recorder);
        Background.run("[05.6] close() twice", () -> {
            broadcast.close();
            broadcast.close();
        }).await(PATIENCE);

        assertThat(recorder.completions.get()).as("[05.6] onComplete calls after close() twice: expected 1 "
                + "(README 05.6)").isEqualTo(1);
    }
}
