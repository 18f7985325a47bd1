package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("05.3")
@DisplayName("05.3 A pipeline that stops")
class PipelineTest {

    private static final int CAPACITY = 2;
    /** Long enough that a producer nobody stops is far past any bound, short enough that it ends (no hang, no OOM). */
    private static final int LONG = 20_000;

    /** A source of 1, 2, 3, … up to {@code length} that counts what it produced and remembers its thread. */
    private static final class CountingSource implements Iterator<Integer> {
        final AtomicInteger produced = new AtomicInteger();
        final AtomicReference<Thread> thread = new AtomicReference<>();
        private final int length;

        CountingSource(int length) {
            this.length = length;
        }

        @Override
        public boolean hasNext() {
            thread.compareAndSet(null, Thread.currentThread());
            return produced.get() < length;
        }

        @Override
        public Integer next() {
            thread.compareAndSet(null, Thread.currentThread());
            if (produced.get() >= length) {
                throw new NoSuchElementException();
            }
            return produced.incrementAndGet();
        }
    }

    /** Blocks a stage until interrupted, then lingers until the test lets it exit (bounded: never a hang). */
    private static final class Blocker {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch mayExit = new CountDownLatch(1);
        final CountDownLatch exited = new CountDownLatch(1);
        /** Counted down only by the test's cleanup, for a pipeline that never interrupts the stage. */
        final CountDownLatch released = new CountDownLatch(1);

        void block() {
            started.countDown();
            try {
                released.await(); // until interrupted
            } catch (InterruptedException e) {
                interrupted.countDown();
                try {
                    mayExit.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
                Thread.currentThread().interrupt();
                throw new IllegalStateException("cancelled", e);
            } finally {
                exited.countDown();
            }
        }

        boolean hasExited() {
            return exited.getCount() == 0;
        }
    }

    /** The threads the stages ran on, as seen by the test's source, transform and sink. */
    private record Threads(Thread producer, Thread transformer, Thread consumer) {
        List<Thread> all() {
            List<Thread> all = new ArrayList<>();
            for (Thread t : new Thread[] {producer, transformer, consumer}) {
                if (t != null) {
                    all.add(t);
                }
            }
            return all;
        }

        List<Thread> alive() {
            return all().stream().filter(Thread::isAlive).toList();
        }
    }

    /** What run did: its exception (or null), the stages' threads still alive and the interrupt status at return. */
    private record Outcome(Throwable thrown, List<Thread> aliveAtReturn, boolean interruptedAtReturn) {
    }

    private static Background<Outcome> runInBackground(String what, CountingSource source,
                                                       java.util.function.Function<Integer, Integer> transform,
                                                       java.util.function.Predicate<Integer> sink,
                                                       AtomicReference<Thread> transformer,
                                                       AtomicReference<Thread> consumer) {
        return Background.call("[05.3] run(" + what + ")", () -> {
            Throwable thrown = null;
            try {
                Pipeline.run(source, a -> {
                    transformer.compareAndSet(null, Thread.currentThread());
                    return transform.apply(a);
                }, b -> {
                    consumer.compareAndSet(null, Thread.currentThread());
                    return sink.test(b);
                }, CAPACITY);
            } catch (ExecutionException | InterruptedException e) {
                thrown = e;
            }
            boolean interrupted = Thread.currentThread().isInterrupted();
            Threads threads = new Threads(source.thread.get(), transformer.get(), consumer.get());
            return new Outcome(thrown, threads.alive(), interrupted);
        });
    }

    /** How many elements a correct pipeline may produce once its consumer has taken {@code taken}: see README 05.3. */
    private static int bound(int taken) {
        // taken by the consumer + a full queue + one in the transformer + a full queue + one in the producer's hand
        return taken + CAPACITY + 1 + CAPACITY + 1;
    }

    @Test
    @DisplayName("passes every element through the transform to the sink, in order, and returns at the end")
    void passesEveryElementThroughInOrder() throws InterruptedException {
        CountingSource source = new CountingSource(50);
        List<Integer> received = new ArrayList<>();
        Outcome outcome = awaitWatching("05.3", "run did not return although the source had ended: does the end of "
                + "the source travel down to the consumer?", runInBackground("1..50, x10, collect", source,
                a -> a * 10, received::add, new AtomicReference<>(), new AtomicReference<>()));

        assertThat(outcome.thrown()).as("[05.3] run threw %s on a pipeline where nothing fails (README 05.3)",
                outcome.thrown()).isNull();
        assertThat(received).as("[05.3] what the sink received from 1..50 times 10 (README 05.3)")
                .isEqualTo(IntStream.rangeClosed(1, 50).map(i -> i * 10).boxed().toList());
    }

    @Test
    @DisplayName("runs each stage on a thread of its own, and every one has ended when run returns")
    void runsEachStageOnAThreadOfItsOwn() throws InterruptedException {
        CountingSource source = new CountingSource(20);
        AtomicReference<Thread> transformer = new AtomicReference<>();
        AtomicReference<Thread> consumer = new AtomicReference<>();
        Background<Outcome> caller = runInBackground("1..20", source, a -> a, b -> true, transformer, consumer);
        Outcome outcome = awaitWatching("05.3", "run did not return although the source had ended", caller);

        Set<Thread> distinct = ConcurrentHashMap.newKeySet();
        distinct.addAll(List.of(source.thread.get(), transformer.get(), consumer.get(), caller.thread()));
        assertThat(distinct).as("[05.3] the producer, the transformer, the consumer and the caller should be four "
                + "threads, but some ran on the same one: a pipeline runs its stages at the same time, each on a "
                + "thread of its own (README 05.3)").hasSize(4);
        assertThat(outcome.aliveAtReturn()).as("[05.3] run returned while these stage threads still ran: wait "
                + "until every stage has ended (README 05.3)").isEmpty();
    }

    @Test
    @DisplayName("keeps the producer at most the queues' capacity ahead of a slow consumer, waiting (WAITING)")
    void keepsTheProducerBoundedAheadOfASlowConsumer() throws InterruptedException {
        CountingSource source = new CountingSource(LONG);
        CountDownLatch consumerMayGoOn = new CountDownLatch(1);
        Background<Outcome> caller = runInBackground("a long source, a consumer that waits", source, a -> a, b -> {
            try {
                consumerMayGoOn.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }, new AtomicReference<>(), new AtomicReference<>());
        try {
            await("[05.3] the producer to start").atMost(PATIENCE).until(() -> {
                caller.rethrowIfFailed();
                return source.thread.get() != null;
            });
            Thread producer = source.thread.get();
            awaitBlockedOrEnded(producer, caller);
            assertThat(source.produced.get()).as("[05.3] the consumer is busy with its first element, and the "
                    + "producer made %d elements: with queues of %d, expected at most %d (the consumer's 1, a full "
                    + "queue, one in the transformer, a full queue, one in the producer's hand). Are the queues "
                    + "bounded? (README 05.3)", source.produced.get(), CAPACITY, bound(1))
                    .isLessThanOrEqualTo(bound(1));
        } finally {
            consumerMayGoOn.countDown();
            caller.join(PATIENCE);
        }
    }

    /** Waits until {@code producer} is WAITING (blocked on a full queue) or has ended; fails if it polls. */
    private static void awaitBlockedOrEnded(Thread producer, Background<Outcome> caller) {
        int timedWaiting = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            caller.rethrowIfFailed();
            Thread.State state = producer.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TERMINATED) {
                return;
            }
            timedWaiting += state == Thread.State.TIMED_WAITING ? 1 : 0;
            if (timedWaiting >= 25 || System.nanoTime() > deadline) {
                throw new AssertionError("[05.3] a producer in front of a full queue should wait until there is "
                        + "room (WAITING), but it was " + state + (timedWaiting > 0 ? ", a timed wait: polling with "
                        + "a time-out or a sleep in a loop?" : "") + " (README 05.3)");
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    @Test
    @DisplayName("when the consumer stops early, every stage ends and the producer stops producing")
    void stopsEveryStageWhenTheConsumerStopsEarly() throws InterruptedException {
        int wanted = 5;
        CountingSource source = new CountingSource(LONG);
        AtomicInteger taken = new AtomicInteger();
        Outcome outcome = awaitWatching("05.3", "run did not return after the consumer stopped (its sink said "
                + "false after " + wanted + " elements): is a stage still blocked on a queue nobody drains any more, "
                + "waiting for an end-of-stream marker that cannot come? Cancel every stage", runInBackground(
                "a long source, the first " + wanted, source, a -> a, b -> taken.incrementAndGet() < wanted,
                new AtomicReference<>(), new AtomicReference<>()));

        assertThat(outcome.thrown()).as("[05.3] run threw %s when the consumer simply stopped (README 05.3)",
                outcome.thrown()).isNull();
        assertThat(outcome.aliveAtReturn()).as("[05.3] run returned while these stage threads still ran: wait "
                + "until every stage has ended (README 05.3)").isEmpty();
        assertThat(source.produced.get()).as("[05.3] the consumer stopped after %d elements, yet the producer made "
                + "%d of the %d it could: expected at most %d (queues of %d). The producer did not stop: when "
                + "downstream stops, cancel it (README 05.3)", wanted, source.produced.get(), LONG, bound(wanted),
                CAPACITY).isLessThanOrEqualTo(bound(wanted));
    }

    @Test
    @DisplayName("does not return while a cancelled stage still runs, however long its cleanup takes")
    void doesNotReturnWhileACancelledStageStillRuns() throws InterruptedException {
        Blocker blocker = new Blocker();
        CountingSource source = new CountingSource(LONG);
        AtomicReference<Thread> transformer = new AtomicReference<>();
        Background<Outcome> caller = runInBackground("a transform stuck on element 2, a sink that wants 1", source,
                a -> {
                    if (a == 2) {
                        blocker.block();
                    }
                    return a;
                }, b -> {
                    try { // wants only one element, but waits until the transformer is stuck on the next
                        blocker.started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false;
                }, transformer, new AtomicReference<>());
        try {
            await("[05.3] the consumer stopped, but the transform stage blocked in a call was never interrupted: "
                    + "cancel every stage by interrupting its thread (README 05.3)").atMost(PATIENCE)
                    .failFast("[05.3] run returned, but the transform stage blocked in a call was never "
                            + "interrupted: cancel every stage by interrupting its thread (README 05.3)", () -> {
                                caller.rethrowIfFailed();
                                return caller.isDone() && blocker.interrupted.getCount() > 0;
                            })
                    .until(() -> blocker.interrupted.getCount() == 0);
            awaitParked(caller, "05.3", "run returned while the transform stage it cancelled was still cleaning "
                    + "up: wait until every stage thread has ended");
            blocker.mayExit.countDown();
            Outcome outcome = awaitWatching("05.3", "run did not return after its stages ended", caller);

            assertThat(outcome.aliveAtReturn()).as("[05.3] run returned while these stage threads still ran: wait "
                    + "until every stage has ended (README 05.3)").isEmpty();
        } finally {
            blocker.mayExit.countDown();
            blocker.released.countDown();
            caller.join(PATIENCE);
        }
    }

    @Test
    @DisplayName("a stage that throws stops the pipeline: run throws ExecutionException with that cause")
    void passesOnAStagesFailure() throws InterruptedException {
        IllegalStateException failure = new IllegalStateException("element 3 is bad");
        CountingSource source = new CountingSource(LONG);
        Outcome outcome = awaitWatching("05.3", "run did not return after the transform stage threw: does a failing "
                + "stage cancel the others?", runInBackground("a transform that fails on element 3", source, a -> {
                    if (a == 3) {
                        throw failure;
                    }
                    return a;
                }, b -> true, new AtomicReference<>(), new AtomicReference<>()));

        assertThat(outcome.thrown()).as("[05.3] a stage threw %s: run should throw ExecutionException with it as "
                + "the cause, but threw %s (README 05.3)", failure, outcome.thrown())
                .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
        assertThat(outcome.aliveAtReturn()).as("[05.3] run returned while these stage threads still ran: wait "
                + "until every stage has ended (README 05.3)").isEmpty();
        assertThat(source.produced.get()).as("[05.3] the transform stage failed on element 3, yet the producer "
                + "made %d elements: expected at most %d. A failure must stop the producer too (README 05.3)",
                source.produced.get(), bound(3)).isLessThanOrEqualTo(bound(3));
    }

    @Test
    @DisplayName("a sink that throws stops the pipeline: run throws ExecutionException with that cause")
    void passesOnTheSinksFailure() throws InterruptedException {
        IllegalArgumentException failure = new IllegalArgumentException("cannot store element 2");
        CountingSource source = new CountingSource(LONG);
        Outcome outcome = awaitWatching("05.3", "run did not return after the sink threw: does a failing stage "
                + "cancel the others?", runInBackground("a sink that fails on element 2", source, a -> a, b -> {
                    if (b == 2) {
                        throw failure;
                    }
                    return true;
                }, new AtomicReference<>(), new AtomicReference<>()));

        assertThat(outcome.thrown()).as("[05.3] the sink threw %s: run should throw ExecutionException with it as "
                + "the cause, but threw %s (README 05.3)", failure, outcome.thrown())
                .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
        assertThat(outcome.aliveAtReturn()).as("[05.3] run returned while these stage threads still ran: wait "
                + "until every stage has ended (README 05.3)").isEmpty();
        assertThat(source.produced.get()).as("[05.3] the sink failed on element 2, yet the producer made %d "
                + "elements: expected at most %d. A failure must stop the producer too (README 05.3)",
                source.produced.get(), bound(2)).isLessThanOrEqualTo(bound(2));
    }

    @Test
    @DisplayName("interrupting the caller stops every stage, waits for them, and throws InterruptedException")
    void interruptingTheCallerStopsEveryStage() throws InterruptedException {
        Blocker blocker = new Blocker();
        CountingSource source = new CountingSource(LONG);
        Background<Outcome> caller = runInBackground("a sink stuck on its first element", source, a -> a, b -> {
            blocker.block();
            return false; // released by the test's cleanup only: then stop at once
        }, new AtomicReference<>(), new AtomicReference<>());
        try {
            await("[05.3] the sink to be called").atMost(PATIENCE).until(() -> {
                caller.rethrowIfFailed();
                return blocker.started.getCount() == 0;
            });
            awaitParked(caller, "05.3", "run returned while its consumer was still busy");

            caller.thread().interrupt();

            await("[05.3] the caller was interrupted, but the consumer stage was not: the caller's cancellation "
                    + "should reach every stage (README 05.3)").atMost(PATIENCE)
                    .failFast("[05.3] run returned after its caller was interrupted, but the consumer stage was "
                            + "never interrupted: the caller's cancellation should reach every stage (README 05.3)",
                            () -> {
                                caller.rethrowIfFailed();
                                return caller.isDone() && blocker.interrupted.getCount() > 0;
                            })
                    .until(() -> blocker.interrupted.getCount() == 0);
            awaitParked(caller, "05.3", "run returned while the consumer it cancelled was still cleaning up: wait "
                    + "until every stage thread has ended");
            blocker.mayExit.countDown();
            Outcome outcome = awaitWatching("05.3", "run did not return after its caller was interrupted and the "
                    + "stages ended: is the interrupt swallowed?", caller);

            assertThat(outcome.thrown()).as("[05.3] expected InterruptedException when the caller is interrupted, "
                    + "got %s (README 05.3)", outcome.thrown()).isInstanceOf(InterruptedException.class);
            assertThat(outcome.interruptedAtReturn()).as("[05.3] run threw InterruptedException with the interrupt "
                    + "status set again: a method that throws it clears the status, as the JDK's do (README 05.3)")
                    .isFalse();
            assertThat(outcome.aliveAtReturn()).as("[05.3] run returned while these stage threads still ran: wait "
                    + "until every stage has ended (README 05.3)").isEmpty();
        } finally {
            blocker.mayExit.countDown();
            blocker.released.countDown();
            caller.join(PATIENCE);
        }
    }
}
