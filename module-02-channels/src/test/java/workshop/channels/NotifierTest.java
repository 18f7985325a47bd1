package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.awaitility.core.ConditionTimeoutException;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.isParked;
import static workshop.support.testing.Parked.stop;

@Tag("02.9")
@DisplayName("02.9 Coalescing notifier")
class NotifierTest {

    private final Notifier notifier = new Notifier();

    /** Signals {@code count} times with nobody waiting, and fails if a signal blocks. */
    private void signalWithNobodyWaiting(int count) throws InterruptedException {
        Background<Void> signaller = Background.run("[02.9] " + count + " signal() calls with nobody waiting", () -> {
            for (int i = 0; i < count; i++) {
                notifier.signal();
            }
        });
        try {
            await("[02.9] the signals to return").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .until(() -> signaller.isDone() || isParked(signaller.thread()));
            signaller.rethrowIfFailed();
            assertThat(signaller.isDone())
                    .as("[02.9] signal() blocked (%s) with nobody waiting: a signal must never wait; if one is "
                        + "pending already, drop the new one (README 02.9)", signaller.thread().getState())
                    .isTrue();
        } finally {
            signaller.thread().interrupt();
            signaller.join(PATIENCE);
        }
    }

    @Nested
    @DisplayName("while nobody waits")
    class WhileNobodyWaits {

        @Test
        @DisplayName("a thousand signals return at once")
        void aThousandSignalsReturnAtOnce() throws InterruptedException {
            signalWithNobodyWaiting(1_000);
        }

        @Test
        @DisplayName("a thousand signals coalesce into one: one await returns, the next waits")
        void signalsCoalesceIntoOne() throws InterruptedException {
            signalWithNobodyWaiting(1_000);

            Background.run("[02.9] the first await() after 1,000 signals: a signal is pending, it should return",
                    notifier::await).await(PATIENCE);
            Background<Void> second = Background.run("[02.9] the second await() after 1,000 signals", notifier::await);
            try {
                awaitWaiting(second, "02.9", "a second await returned: signals should coalesce to at most one pending");
            } finally {
                stop(second);
            }
        }
    }

    @Nested
    @DisplayName("while someone waits")
    class WhileSomeoneWaits {

        @Test
        @DisplayName("await parks until a signal wakes it")
        void aSignalWakesAParkedAwaiter() throws InterruptedException {
            Background<Void> waiter = Background.run("[02.9] await() woken by a signal", notifier::await);
            try {
                awaitWaiting(waiter, "02.9", "await() returned although nothing was signalled");
                notifier.signal();
                waiter.await(PATIENCE);
            } finally {
                stop(waiter);
            }
        }

        @Test
        @DisplayName("await answers interruption with InterruptedException")
        void awaitAnswersInterruption() throws InterruptedException {
            Background<String> waiter = Background.call("[02.9] interrupted await()", () -> {
                try {
                    notifier.await();
                    return "returned";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            try {
                awaitWaiting(waiter, "02.9", "await() returned although nothing was signalled");
                waiter.thread().interrupt();
                assertThat(waiter.await(PATIENCE))
                        .as("[02.9] an interrupted await() should throw InterruptedException (README 02.9)")
                        .isEqualTo("interrupted");
            } finally {
                stop(waiter);
            }
        }

        @Test
        @DisplayName("a consumer that looks again after each await sees the last change of a burst")
        void noSignalAfterTheLastChangeIsLost() throws Exception {
            int writers = 4;
            int changesEach = 2_000;
            int last = writers * changesEach;
            AtomicInteger version = new AtomicInteger();
            Background<Void> consumer = Background.run("[02.9] a consumer that awaits, then reads the latest "
                    + "version, until it sees version " + last + ": it never saw it, so a signal after the last "
                    + "change was lost (README 02.9)", () -> {
                        while (version.get() != last) {
                            notifier.await();
                        }
                    });
            try {
                List<Future<?>> writing = new ArrayList<>();
                try (ExecutorService burst = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int w = 0; w < writers; w++) {
                        writing.add(burst.submit(() -> {
                            for (int i = 0; i < changesEach; i++) {
                                version.incrementAndGet();
                                notifier.signal(); // after the change: "look again"
                            }
                        }));
                    }
                }
                consumer.rethrowIfFailed();
                for (Future<?> writer : writing) {
                    writer.get(); // a writer's failure, such as a signal() that threw
                }
                consumer.await(PATIENCE);
            } finally {
                stop(consumer);
            }
        }
    }

    @Nested
    @DisplayName("at first use")
    class AtFirstUse {

        private static final int MOST_ROUNDS = 2_000;

        /**
         * Both threads call this before each round; they leave it within nanoseconds of each other, so that their
         * first calls on the round's new notifier overlap. The last to arrive decides whether there is another round.
         *
         * @return false when there is no other round
         */
        private static boolean startTogether(AtomicInteger arrived, AtomicInteger round, AtomicBoolean stop,
                                             AtomicBoolean abandon) {
            int current = round.get();
            if (arrived.incrementAndGet() % 2 == 0) {
                round.set(stop.get() || current + 1 >= MOST_ROUNDS ? -1 : current + 1);
            } else {
                while (round.get() == current && !abandon.get()) {
                    Thread.onSpinWait();
                }
            }
            return round.get() >= 0 && !abandon.get();
        }

        /**
         * Two threads start together on one fresh notifier after another, one signalling, one awaiting: each await
         * must return. A notifier whose state is created lazily, on first use and without a lock, loses this race
         * now and then (both threads see "not created yet", and each makes its own): the signal goes where the
         * await never looks. Here that happens in about 1 round of 30, so the rounds the test has time for (up to
         * 2,000, for about a second) do not miss it.
         */
        @Test
        @DisplayName("a signal and an await that start together on a new notifier always meet")
        void aSignalAndAnAwaitThatRaceAtFirstUseMeet() throws InterruptedException {
            Notifier[] notifiers = new Notifier[MOST_ROUNDS];
            for (int i = 0; i < MOST_ROUNDS; i++) {
                notifiers[i] = new Notifier();
            }
            AtomicInteger arrived = new AtomicInteger();
            AtomicInteger round = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean abandon = new AtomicBoolean();
            AtomicInteger awaited = new AtomicInteger();
            Background<Void> awaiter = Background.run("[02.9] await() on one new notifier after another", () -> {
                while (startTogether(arrived, round, stop, abandon)) {
                    notifiers[round.get()].await();
                    awaited.incrementAndGet();
                }
            });
            Background<Void> signaller = Background.run("[02.9] signal() on one new notifier after another", () -> {
                while (startTogether(arrived, round, stop, abandon)) {
                    notifiers[round.get()].signal();
                }
            });
            try {
                try {
                    await().atMost(Patience.seconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> {
                        awaiter.rethrowIfFailed();
                        signaller.rethrowIfFailed();
                        return awaiter.isDone();
                    });
                } catch (ConditionTimeoutException enoughRounds) {
                    stop.set(true); // the round under way is the last
                }
                await("[02.9] an await() that started together with a signal() on a new notifier to return (after "
                      + awaited.get() + " that did): the signal went where the await does not look. Is the "
                      + "notifier's state created lazily, on first use, without a lock? Two threads can then each "
                      + "create their own; create it in the constructor, in a final field (README 02.9)")
                        .atMost(PATIENCE).pollInterval(Duration.ofMillis(5))
                        .until(() -> {
                            awaiter.rethrowIfFailed();
                            signaller.rethrowIfFailed();
                            return awaiter.isDone();
                        });
                signaller.await(PATIENCE);
            } finally {
                abandon.set(true);
                stop(awaiter, signaller);
            }
        }
    }
}
