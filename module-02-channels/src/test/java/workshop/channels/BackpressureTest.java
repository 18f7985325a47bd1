package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.isParked;

@Tag("02.7")
@DisplayName("02.7 Backpressure")
class BackpressureTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    /** Yields 0, 1, 2, ... up to {@code size} (forever if negative), counts pulls, notes the thread that pulls. */
    private static final class CountingSource implements Iterator<Integer> {
        private final int size;
        private final int failAt;
        final AtomicInteger pulls = new AtomicInteger();
        final RuntimeException failure = new IllegalStateException("[02.7] the test's source broke");
        volatile Thread producer;

        CountingSource(int size, int failAt) {
            this.size = size;
            this.failAt = failAt;
        }

        static CountingSource of(int size) {
            return new CountingSource(size, -1);
        }

        static CountingSource endless() {
            return new CountingSource(-1, -1);
        }

        @Override
        public boolean hasNext() {
            return size < 0 || pulls.get() < size;
        }

        @Override
        public Integer next() {
            producer = Thread.currentThread();
            int item = pulls.getAndIncrement();
            if (item == failAt) {
                throw failure;
            }
            return item;
        }
    }

    /** Collects what it is given; holds on to the first item until released. Answers interruption by returning. */
    private static final class HoldingSink implements Consumer<Integer> {
        final List<Integer> items = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void accept(Integer item) {
            items.add(item);
            if (items.size() == 1) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the sink returns; the run should stop
                }
            }
        }
    }

    private static List<Integer> upTo(int size) {
        return IntStream.range(0, size).boxed().toList();
    }

    /** Waits until the sink holds the first item and the producer is parked (or gone): nothing moves any more. */
    private static void awaitStandstill(Background<?> run, HoldingSink sink, CountingSource source, int capacity) {
        int expected = capacity + 2;
        await("[02.7] the producer to wait for room").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .untilAsserted(() -> {
                    run.rethrowIfFailed();
                    assertThat(sink.holding.getCount())
                            .as("[02.7] the sink should receive the first item (README 02.7)").isZero();
                    assertThat(source.producer)
                            .as("[02.7] a producer thread should pull from the source (README 02.7)").isNotNull();
                    Thread.State producer = source.producer.getState();
                    assertThat(producer)
                            .as("[02.7] with the sink busy, the producer should fill the buffer, then park (WAITING) "
                                + "until there is room: it was %s%s. Is the buffer bounded to capacity, and does the "
                                + "producer wait for room (put) rather than spin or poll? (README 02.7)", producer,
                                producer == Thread.State.TIMED_WAITING ? ", a timed wait: polling with a timeout?" : "")
                            .isIn(Thread.State.WAITING, Thread.State.TERMINATED);
                    // inside the wait: a platform thread just unparked may still read WAITING for a moment
                    assertThat(source.pulls.get())
                            .as("[02.7] expected the producer to stop after %d items (1 in the sink, %d in the buffer, "
                                + "1 in its hand), it pulled %d: is the buffer bounded to capacity? (README 02.7)",
                                    expected, capacity, source.pulls.get())
                            .isEqualTo(expected);
                });
    }

    private static void stop(Background<?> run, HoldingSink sink) throws InterruptedException {
        sink.release.countDown();
        run.thread().interrupt();
        run.join(PATIENCE);
    }

    @Nested
    @DisplayName("with a slow consumer")
    class WithASlowConsumer {

        @Test
        @DisplayName("the producer stops when the buffer is full and resumes when the consumer catches up")
        void theProducerStopsWhenTheBufferIsFull() throws InterruptedException {
            CountingSource source = CountingSource.of(1_000);
            HoldingSink sink = new HoldingSink();
            Background<Long> run = Background.call("[02.7] run(1,000 items, capacity 4)",
                    () -> Backpressure.run(source, 4, sink));
            try {
                awaitStandstill(run, sink, source, 4);
                assertThat(source.pulls.get())
                        .as("[02.7] expected the producer to stop after 6 items (1 in the sink, 4 in the buffer, 1 "
                            + "in its hand), it pulled %d: is the buffer bounded to capacity? (README 02.7)",
                            source.pulls.get())
                        .isEqualTo(6);

                sink.release.countDown();
                long delivered = run.await(PATIENCE);

                assertThat(sink.items)
                        .as("[02.7] every item should reach the sink, in the order of the source (README 02.7)")
                        .containsExactlyElementsOf(upTo(1_000));
                assertThat(delivered).as("[02.7] run should return the number of items delivered").isEqualTo(1_000);
            } finally {
                stop(run, sink);
            }
        }

        @Test
        @DisplayName("an interrupt stops both the producer and the consumer")
        void anInterruptStopsBothSides() throws InterruptedException {
            CountingSource source = CountingSource.endless();
            HoldingSink sink = new HoldingSink();
            Background<String> run = Background.call("[02.7] run(an endless source), interrupted: it should stop "
                    + "both sides and return once the producer has ended; does the producer swallow its interrupt?",
                    () -> {
                try {
                    Backpressure.run(source, 2, sink);
                    return "returned";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            try {
                awaitStandstill(run, sink, source, 2);
                run.thread().interrupt();

                assertThat(run.await(PATIENCE))
                        .as("[02.7] an interrupted run should throw InterruptedException (README 02.7)")
                        .isEqualTo("interrupted");
                assertThat(source.producer.getState())
                        .as("[02.7] when run throws InterruptedException the producer should have ended, it was %s: "
                            + "interrupt it, and wait for it (README 02.7)", source.producer.getState())
                        .isEqualTo(Thread.State.TERMINATED);
            } finally {
                stop(run, sink);
            }
        }
    }

    @Nested
    @DisplayName("when something fails")
    class WhenSomethingFails {

        @Test
        @DisplayName("a source that throws: the items before it arrive, then run throws what the source threw")
        void aSourceThatThrows() throws InterruptedException {
            CountingSource source = new CountingSource(10, 4);
            List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
            Background<Long> run = Background.call("[02.7] run() with a source that throws at its 5th item "
                    + "(did the consumer learn that the producer failed?)",
                    () -> Backpressure.run(source, 2, delivered::add));
            try {
                assertThat(catchThrowable(() -> run.await(PATIENCE)))
                        .as("[02.7] run should throw the source's exception, as is (README 02.7)")
                        .isSameAs(source.failure);
                assertThat(delivered)
                        .as("[02.7] the 4 items pulled before the source failed should still be delivered, in order")
                        .containsExactly(0, 1, 2, 3);
            } finally {
                run.thread().interrupt();
                run.join(PATIENCE);
            }
        }

        @Test
        @DisplayName("a sink that throws: run throws it, and the producer stops")
        void aSinkThatThrows() throws InterruptedException {
            CountingSource source = CountingSource.endless();
            RuntimeException boom = new IllegalStateException("[02.7] the test's sink broke");
            Background<Long> run = Background.call("[02.7] run() with a sink that throws at its 3rd item",
                    () -> Backpressure.run(source, 2, item -> {
                        if (item == 2) {
                            throw boom;
                        }
                    }));
            try {
                assertThat(catchThrowable(() -> run.await(PATIENCE)))
                        .as("[02.7] run should throw the sink's exception, as is (README 02.7)")
                        .isSameAs(boom);
                assertThat(source.producer.getState())
                        .as("[02.7] after the sink failed the producer should have ended, it was %s: nobody "
                            + "consumes any more, so stop it and wait for it (README 02.7)", source.producer.getState())
                        .isEqualTo(Thread.State.TERMINATED);
            } finally {
                run.thread().interrupt();
                run.join(PATIENCE);
            }
        }
    }

    @Nested
    @DisplayName("when the producer is slow to stop")
    class WhenTheProducerIsSlowToStop {

        /**
         * The sink fails while the producer is inside the source's next(), which finishes only when the test lets it
         * (as a source that reads a file or a socket may): run must not return or throw before the producer has
         * ended. The run thread executes the sink, so it is busy until it either waits for the producer (it parks)
         * or leaves; no "not yet" can be mistaken for either.
         */
        @Test
        @DisplayName("run throws the sink's exception only after the producer has ended")
        void runWaitsForTheProducer() throws InterruptedException {
            CountDownLatch inNext = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            AtomicReference<Thread> producer = new AtomicReference<>();
            Iterator<Integer> slowSource = new Iterator<>() {
                private int pulls;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    producer.set(Thread.currentThread());
                    if (++pulls == 2) {
                        inNext.countDown();
                        boolean interrupted = false;
                        while (letGo.getCount() > 0) {
                            try {
                                letGo.await(); // finishes its pull before it looks at an interrupt
                            } catch (InterruptedException e) {
                                interrupted = true;
                            }
                        }
                        if (interrupted) {
                            Thread.currentThread().interrupt(); // and then keeps it for the producer to see
                        }
                    }
                    return pulls;
                }
            };
            RuntimeException boom = new IllegalStateException("[02.7] the test's sink broke");
            CountDownLatch thrown = new CountDownLatch(1);
            Background<Long> run = Background.call("[02.7] run() whose sink throws while the producer is in the "
                    + "source's next()", () -> Backpressure.run(slowSource, 2, item -> {
                        try {
                            inNext.await(); // the producer is inside next() now
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        thrown.countDown();
                        throw boom;
                    }));
            try {
                await("[02.7] run to wait for the producer, or to end, after the sink threw").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(2))
                        .failFast("[02.7] run ended before it gave the first item to the sink (README 02.7)", () -> {
                            if (thrown.getCount() > 0) {
                                run.rethrowIfFailed(); // the learner's exception is the failure to show
                                return run.isDone();
                            }
                            return false;
                        })
                        .until(() -> thrown.getCount() == 0 && (run.isDone() || isParked(run.thread())));
                assertThat(run.isDone())
                        .as("[02.7] run ended while the producer was still running (%s, inside the source's next()): "
                            + "whether run returns or throws, it must first wait until the producer has ended; "
                            + "interrupt it, then join it (README 02.7)", producer.get().getState())
                        .isFalse();
                letGo.countDown();
                assertThat(catchThrowable(() -> run.await(PATIENCE)))
                        .as("[02.7] once the producer has ended, run should throw the sink's exception, as is")
                        .isSameAs(boom);
                assertThat(producer.get().getState())
                        .as("[02.7] when run throws, the producer should have ended (README 02.7)")
                        .isEqualTo(Thread.State.TERMINATED);
            } finally {
                letGo.countDown();
                run.thread().interrupt();
                run.join(PATIENCE);
                Thread slow = producer.get();
                if (slow != null) {
                    slow.interrupt();
                    slow.join(PATIENCE);
                }
            }
        }
    }

    @Nested
    @DisplayName("at the edges")
    class AtTheEdges {

        @Test
        @DisplayName("an empty source delivers nothing and returns 0")
        void anEmptySource() throws InterruptedException {
            List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
            long count = Background.call("[02.7] run(an empty source)",
                    () -> Backpressure.run(CountingSource.of(0), 3, delivered::add)).await(PATIENCE);

            assertThat(count).as("[02.7] nothing to deliver, so run should return 0").isZero();
            assertThat(delivered).as("[02.7] nothing should reach the sink").isEmpty();
        }

        @Test
        @DisplayName("a capacity below 1 is rejected")
        void aCapacityBelowOneIsRejected() {
            for (int capacity : new int[] {0, -1}) {
                assertThat(catchThrowable(() -> Backpressure.run(CountingSource.of(3), capacity, item -> { })))
                        .as("[02.7] run(..., capacity %d, ...) should throw IllegalArgumentException (README 02.7)",
                            capacity)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
