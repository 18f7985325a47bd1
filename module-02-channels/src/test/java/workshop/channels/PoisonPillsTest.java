package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.isParked;

@Tag("02.8")
@DisplayName("02.8 Poison pills")
class PoisonPillsTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    /** Records every item handled and the thread that handled it. */
    private static class Recorder<T> implements Consumer<T> {
        final List<T> handled = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void accept(T item) {
            threads.add(Thread.currentThread());
            handled.add(item);
        }
    }

    /** Holds the first {@code expected} calls until that many are in flight at once; gives up after a while. */
    private static final class InFlightProbe extends Recorder<Integer> {
        final int expected;
        final CountDownLatch allIn;
        final AtomicInteger calls = new AtomicInteger();
        volatile int sawWhenGivingUp = -1;

        InFlightProbe(int expected) {
            this.expected = expected;
            this.allIn = new CountDownLatch(expected);
        }

        @Override
        public void accept(Integer item) {
            super.accept(item);
            if (calls.incrementAndGet() > expected || sawWhenGivingUp >= 0) {
                return;
            }
            allIn.countDown();
            try {
                if (!allIn.await(Patience.seconds(3).toMillis(), TimeUnit.MILLISECONDS)) {
                    sawWhenGivingUp = expected - (int) allIn.getCount();
                    while (allIn.getCount() > 0) {
                        allIn.countDown(); // let the others through: the test has failed already
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Integer> upTo(int size) {
        return IntStream.range(0, size).boxed().toList();
    }

    private static <T> void process(String description, List<T> items, int consumers, Consumer<? super T> handler)
            throws InterruptedException {
        Background<Void> call = Background.run("[02.8] " + description + ": process returns when every consumer has "
                + "ended; did each consumer get a pill of its own? (README 02.8)",
                () -> PoisonPills.process(items, consumers, handler));
        try {
            call.await(PATIENCE);
        } finally {
            call.thread().interrupt();
            call.join(PATIENCE);
        }
    }

    @Test
    @DisplayName("every item is handled exactly once")
    void everyItemIsHandledExactlyOnce() throws InterruptedException {
        Recorder<Integer> handler = new Recorder<>();
        process("process(1,000 items, 4 consumers)", upTo(1_000), 4, handler);

        List<Integer> handled = new ArrayList<>(handler.handled);
        Collections.sort(handled);
        assertThat(handled)
                .as("[02.8] every item should be handled exactly once by the time process returns: %d handled "
                    + "(README 02.8)", handled.size())
                .containsExactlyElementsOf(upTo(1_000));
    }

    @Test
    @DisplayName("the consumers handle items at the same time, each on a thread of its own")
    void theConsumersWorkAtTheSameTime() throws InterruptedException {
        InFlightProbe handler = new InFlightProbe(4);
        process("process(100 items, 4 consumers)", upTo(100), 4, handler);

        assertThat(handler.sawWhenGivingUp)
                .as("[02.8] expected 4 handlers in flight at once, saw %d: start every consumer before feeding, "
                    + "each on a thread of its own (README 02.8)", handler.sawWhenGivingUp)
                .isEqualTo(-1);
        assertThat(handler.threads)
                .as("[02.8] the items should be handled by exactly 4 consumer threads, saw %d (README 02.8)",
                    handler.threads.size())
                .hasSize(4);
        assertThat(handler.handled)
                .as("[02.8] every item should be handled exactly once (README 02.8)")
                .containsExactlyInAnyOrderElementsOf(upTo(100));
    }

    @Test
    @DisplayName("every consumer stops, even with more consumers than items")
    void everyConsumerStops() throws InterruptedException {
        Recorder<Integer> handler = new Recorder<>();
        process("process(2 items, 8 consumers)", upTo(2), 8, handler);
        process("process(no items, 3 consumers)", List.of(), 3, handler);

        assertThat(handler.handled)
                .as("[02.8] both items should be handled, once each (README 02.8)")
                .containsExactlyInAnyOrder(0, 1);
    }

    @Test
    @DisplayName("returns only after the last consumer has finished its item")
    void returnsOnlyAfterTheLastConsumerHasFinished() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Recorder<Integer> handler = new Recorder<>() {
            @Override
            public void accept(Integer item) {
                super.accept(item);
                if (item == 0) {
                    try {
                        release.await(); // one consumer stays busy with item 0 until the test lets go
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        Background<Void> call = Background.run("[02.8] process(10 items, 3 consumers), one of them busy with item 0",
                () -> PoisonPills.process(upTo(10), 3, handler));
        try {
            await("[02.8] the other consumers to handle the other items").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> {
                        call.rethrowIfFailed();
                        return handler.handled.size() == 10
                               && (call.isDone() || isParked(call.thread()));
                    });
            assertThat(call.isDone())
                    .as("[02.8] process returned while a consumer was still handling an item: it should return "
                        + "only when every consumer has ended; wait for them (README 02.8)")
                    .isFalse();
            release.countDown();
            call.await(PATIENCE);
        } finally {
            release.countDown();
            call.thread().interrupt();
            call.join(PATIENCE);
        }
    }

    /** An item that claims to equal everything, a pill included. */
    private record Chameleon(String name) {
        @Override
        public boolean equals(Object other) {
            return true;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    @Test
    @DisplayName("an item is never taken for a pill, even one that claims to equal everything")
    void anItemIsNeverTakenForAPill() throws InterruptedException {
        List<Chameleon> items = List.of(new Chameleon("a"), new Chameleon("b"), new Chameleon("c"));
        Recorder<Chameleon> handler = new Recorder<>();
        process("process(3 items whose equals() always says true, 2 consumers)", items, 2, handler);

        assertThat(handler.handled.stream().map(Chameleon::name).sorted().toList())
                .as("[02.8] every item should be handled, even one whose equals() says it is the pill: recognise "
                    + "the pill by identity (==), with a pill no caller can make (README 02.8)")
                .containsExactly("a", "b", "c");
    }

    @Test
    @DisplayName("a null item is rejected before anything is handled")
    void aNullItemIsRejected() {
        Recorder<String> handler = new Recorder<>();
        assertThat(catchThrowable(() -> PoisonPills.process(Arrays.asList("a", null, "c"), 2, handler)))
                .as("[02.8] an item that is null should be rejected with NullPointerException (README 02.8)")
                .isInstanceOf(NullPointerException.class);
        assertThat(handler.handled)
                .as("[02.8] with a null item nothing should be handled: check the items before you start")
                .isEmpty();
    }

    @Test
    @DisplayName("fewer than one consumer is rejected")
    void fewerThanOneConsumerIsRejected() {
        assertThat(catchThrowable(() -> PoisonPills.process(List.of(1), 0, item -> { })))
                .as("[02.8] process(..., 0 consumers, ...) should throw IllegalArgumentException (README 02.8)")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
