package workshop.gc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.gc.EventBus.Subscription;
import workshop.support.memory.Heap;
import workshop.support.testing.Background;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static workshop.support.testing.Parked.PATIENCE;

/** Reachability is asked of the heap (weak references), never of the bus. */
@Tag("04.4")
@DisplayName("04.4 Subscriptions you close")
class EventBusTest {

    /** A listener that notes every event it receives. */
    private static final class Recorder implements Consumer<String> {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void accept(String event) {
            received.add(event);
        }
    }

    /** Weak references to a listener and to the 1 MB it captures. */
    private record Captured(WeakReference<Object> listener, WeakReference<Object> state) {
        List<WeakReference<Object>> both() {
            return List.of(listener, state);
        }
    }

    /** Subscribes a listener that captures 1 MB of state, and returns it with weak references to both. */
    private static Captured subscribeCapturing(EventBus<String> bus, List<Subscription> into) {
        byte[] screen = new byte[1 << 20];
        Consumer<String> listener = event -> screen[0]++;
        into.add(bus.subscribe(listener));
        return new Captured(new WeakReference<>(listener), new WeakReference<>(screen));
    }

    @Nested
    @DisplayName("delivery")
    class Delivery {

        @Test
        @DisplayName("publish() delivers each event once to every subscriber")
        void deliversToEverySubscriber() {
            EventBus<String> bus = new EventBus<>();
            List<Recorder> listeners = List.of(new Recorder(), new Recorder(), new Recorder());
            listeners.forEach(bus::subscribe);

            bus.publish("gc-start");
            bus.publish("gc-end");

            for (Recorder listener : listeners) {
                assertThat(listener.received).as("[04.4] what each of 3 subscribers received after publish(gc-start), "
                        + "publish(gc-end) (README 04.4)").containsExactly("gc-start", "gc-end");
            }
        }

        @Test
        @DisplayName("a closed subscription receives no more events, and the others still do")
        void aClosedSubscriptionReceivesNoMore() {
            EventBus<String> bus = new EventBus<>();
            Recorder staying = new Recorder();
            Recorder leaving = new Recorder();
            bus.subscribe(staying);
            Subscription subscription = bus.subscribe(leaving);

            bus.publish("one");
            subscription.close();
            bus.publish("two");

            assertThat(leaving.received).as("[04.4] events received by a listener whose subscription was closed "
                    + "between publish(one) and publish(two): close() should take it off the bus (README 04.4)")
                    .containsExactly("one");
            assertThat(staying.received).as("[04.4] events received by a listener still subscribed (README 04.4)")
                    .containsExactly("one", "two");
        }

        @Test
        @DisplayName("closing twice does nothing more: the same listener subscribed twice keeps its other subscription")
        void closingTwiceTouchesNoOtherSubscription() {
            EventBus<String> bus = new EventBus<>();
            Recorder listener = new Recorder();
            Subscription first = bus.subscribe(listener);
            bus.subscribe(listener);

            bus.publish("both");
            first.close();
            Throwable secondClose = catchThrowable(first::close);
            bus.publish("one left");

            assertThat(secondClose).as("[04.4] a second close() of a subscription threw: closing a closed "
                    + "subscription should do nothing (README 04.4)").isNull();
            assertThat(listener.received).as("[04.4] one listener subscribed twice, then one subscription closed "
                    + "twice: it should still get each event once from the other subscription. Does close() remove by "
                    + "the listener (equals) rather than this subscription, or remove once per call? (README 04.4)")
                    .containsExactly("both", "both", "one left");
        }
    }

    @Nested
    @DisplayName("reachability")
    class Reachability {

        @Test
        @DisplayName("closing a subscription lets go of its listener and of everything the listener captures")
        void closingLetsGoOfTheListener() {
            EventBus<String> bus = new EventBus<>();
            Recorder staying = new Recorder();
            bus.subscribe(staying);
            Captured closed = closedSubscription(bus);

            int alive = Heap.survivors("04.4", closed.both());

            assertThat(alive).as("[04.4] a subscription was closed and the test dropped it: after garbage collection "
                    + "%d of 2 objects (its listener and the 1 MB it captures) were still reachable, so the bus still "
                    + "references the listener. Marking a subscription inactive, or removing something that is not "
                    + "in the list (a new wrapper, never equal), keeps the listener alive (README 04.4)", alive)
                    .isZero();
            bus.publish("after");
            assertThat(staying.received).as("[04.4] a listener still subscribed, after another one was closed "
                    + "(README 04.4)").containsExactly("before", "after");
            Reference.reachabilityFence(bus);
        }

        private Captured closedSubscription(EventBus<String> bus) {
            List<Subscription> subscriptions = new ArrayList<>();
            Captured captured = subscribeCapturing(bus, subscriptions);
            bus.publish("before");
            subscriptions.getFirst().close();
            return captured;
        }

        @Test
        @DisplayName("a bus that nobody references any more does not keep its listeners alive")
        void anUnreachableBusTakesItsListenersWithIt() {
            Captured captured = subscribedToABusDroppedAtOnce();

            int alive = Heap.survivors("04.4", captured.both());

            assertThat(alive).as("[04.4] a bus with one subscriber became unreachable, and after garbage collection "
                    + "%d of 2 objects (the listener and what it captures) were still reachable: is something static "
                    + "holding the listeners of every bus? (README 04.4)", alive).isZero();
        }

        private Captured subscribedToABusDroppedAtOnce() {
            EventBus<String> bus = new EventBus<>();
            Captured captured = subscribeCapturing(bus, new ArrayList<>());
            bus.publish("only");
            return captured;
        }
    }

    @Nested
    @DisplayName("while publish() delivers")
    class WhilePublishing {

        @Test
        @DisplayName("a listener may close its own subscription and another's, and the rest still get the event")
        void aListenerMayCloseSubscriptionsDuringDelivery() {
            EventBus<String> bus = new EventBus<>();
            List<Subscription> toClose = new ArrayList<>();
            Recorder closedByTheFirst = new Recorder();
            Recorder last = new Recorder();
            toClose.add(bus.subscribe(event -> toClose.forEach(Subscription::close)));
            toClose.add(bus.subscribe(closedByTheFirst));
            bus.subscribe(last);

            Throwable thrown = catchThrowable(() -> bus.publish("closing time"));

            assertThat(thrown).as("[04.4] publish() threw while its first listener closed its own subscription and "
                    + "the second's: iterating a plain list that changes under the loop fails (a "
                    + "ConcurrentModificationException); iterate something that cannot change under you "
                    + "(README 04.4)").isNull();
            assertThat(last.received).as("[04.4] a listener subscribed before publish() and never closed, when an "
                    + "earlier listener closed two subscriptions during that publish (README 04.4)")
                    .containsExactly("closing time");
            bus.publish("later");
            assertThat(closedByTheFirst.received).as("[04.4] a listener whose subscription was closed during an "
                    + "earlier publish received a later event (README 04.4)").doesNotContain("later");
        }

        @Test
        @DisplayName("other threads can subscribe and close while a listener runs, and the rest still get the event")
        void otherThreadsCanSubscribeAndCloseMeanwhile() throws InterruptedException {
            EventBus<String> bus = new EventBus<>();
            CountDownLatch inFirstListener = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            bus.subscribe(event -> {
                inFirstListener.countDown();
                try {
                    release.await(); // holds publish() inside a listener until the test's finally block
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Subscription second = bus.subscribe(new Recorder());
            Recorder last = new Recorder();
            bus.subscribe(last);

            Background<Void> publisher = Background.run("[04.4] publish(rush hour)", () -> bus.publish("rush hour"));
            Background<Void> other = null;
            try {
                assertThat(inFirstListener.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .as("[04.4] publish() never called the first listener (README 04.4)").isTrue();
                other = Background.run("[04.4] subscribe() and close() while publish() delivers", () -> {
                    bus.subscribe(new Recorder());
                    second.close();
                });
                other.join(PATIENCE);
                assertThat(other.isDone()).as("[04.4] subscribe() and close() on another thread did not return "
                        + "within %d s while publish() was inside a listener: does publish() hold a lock while it "
                        + "calls listeners? A listener that waits for another thread which subscribes or closes then "
                        + "deadlocks (README 04.4)", PATIENCE.toSeconds()).isTrue();
                other.rethrowIfFailed();
            } finally {
                release.countDown();
                publisher.join(PATIENCE);
                if (other != null) {
                    other.join(PATIENCE);
                }
            }
            Throwable thrown = catchThrowable(publisher::rethrowIfFailed);
            assertThat(thrown).as("[04.4] publish() failed after another thread subscribed and closed while a "
                    + "listener ran: iterating a plain list that changes under the loop fails (a "
                    + "ConcurrentModificationException) (README 04.4)").isNull();
            assertThat(last.received).as("[04.4] a listener subscribed before publish() and never closed, when other "
                    + "threads subscribed and closed during that publish (README 04.4)").containsExactly("rush hour");
        }
    }
}
