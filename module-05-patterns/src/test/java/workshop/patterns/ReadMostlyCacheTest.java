package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;
import workshop.support.threads.StuckThreads;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("05.8")
@DisplayName("05.8 A read-mostly cache")
class ReadMostlyCacheTest {

    /** "AaAa", "BBBB" and "AaBB" have the same hash code: in a hash map they share a bin, whatever its size. */
    private static final String SLOW_KEY = "AaAa";
    private static final String LOADED_KEY = "BBBB";
    private static final String OTHER_KEY = "AaBB";
    /** A call that should return at once but stays parked or blocked this long is waiting for something. */
    private static final Duration STUCK = Patience.scaled(Duration.ofMillis(500));

    private final ReadMostlyCache<String, Value> cache = new ReadMostlyCache<>();

    /** A loaded value: compared by identity, so that a second load shows. */
    private record Value(String key, int load) {
    }

    /** A loader that counts its loads and, if asked to, holds each one on a latch and then fails. */
    private static final class CountingLoader implements ReadMostlyCache.Loader<String, Value> {
        final AtomicInteger loads = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release;
        volatile boolean interrupted;
        volatile Exception failure;

        CountingLoader(boolean held) {
            this.release = new CountDownLatch(held ? 1 : 0);
        }

        @Override
        public Value load(String key) throws Exception {
            int n = loads.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted = true;
                throw e;
            }
            if (failure != null) {
                throw failure;
            }
            return new Value(key, n);
        }

        void awaitStarted(Background<?> leader) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .failFast("[05.8] the first get() of a missing key returned without running the loader: the "
                            + "first caller loads (README 05.8)", () -> {
                        leader.rethrowIfFailed();
                        return leader.isDone() && started.getCount() > 0;
                    })
                    .alias("[05.8] the first get() of a missing key did not start the loader (README 05.8)")
                    .until(() -> started.getCount() == 0);
        }
    }

    /** What one get() saw: a value or an exception, and its interrupt status afterwards. */
    private record Outcome(Value value, Throwable thrown, boolean interruptedAtReturn) {
        String describe() {
            return thrown == null ? "it returned " + value : "it threw " + thrown;
        }
    }

    private Background<Outcome> getter(String who, String key, ReadMostlyCache.Loader<String, Value> loader) {
        return Background.call("[05.8] get(" + key + ") by " + who, () -> {
            try {
                return new Outcome(cache.get(key, loader), null, Thread.currentThread().isInterrupted());
            } catch (ExecutionException | InterruptedException | CancellationException e) {
                return new Outcome(null, e, Thread.currentThread().isInterrupted());
            }
        });
    }

    /** Starts the first caller for {@code key} and waits until its load runs (held). */
    private Background<Outcome> leader(String key, CountingLoader loader) {
        Background<Outcome> leader = getter("the first caller", key, loader);
        loader.awaitStarted(leader);
        return leader;
    }

    private static void joinsTheLoad(Background<Outcome> waiter, CountingLoader loader) {
        awaitWaiting(waiter, "05.8", "a get() of a key being loaded returned before the load completed: it should "
                + "wait for that load's outcome");
        assertThat(loader.loads.get()).as("[05.8] loads while a second caller for the key being loaded waits: "
                + "expected 1, the first caller's (README 05.8)").isEqualTo(1);
    }

    /** Why a call that waited for another key's load should not have: {@link #awaitPrompt}'s diagnosis. */
    private static final String LOCK_HELD_DURING_A_LOAD = "it waits for another key's load. Is a lock held while "
            + "the loader runs (synchronized, a write lock, or computeIfAbsent, which holds the lock of the key's bin "
            + "while it computes)?";

    /**
     * Waits for a call that should return at once: fails fast if its thread stays parked or blocked, because then it
     * waits for something; {@code diagnosis} says for what.
     */
    private static <T> T awaitPrompt(Background<T> call, String situation, String diagnosis)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long stuckSince = 0;
        while (!call.isDone()) {
            call.rethrowIfFailed();
            Thread.State state = call.thread().getState();
            long now = System.nanoTime();
            if (state == Thread.State.BLOCKED || state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING) {
                stuckSince = stuckSince == 0 ? now : stuckSince;
                if (now - stuckSince > STUCK.toNanos()) {
                    throw new AssertionError(String.format("[05.8] %s stayed %s while a load of %s was in flight: "
                            + "%s (README 05.8) %s", situation, state, SLOW_KEY, diagnosis,
                            StuckThreads.report(call.thread().threadId()).threads()));
                }
            } else {
                stuckSince = 0;
            }
            if (now > deadline) {
                throw new AssertionError(String.format("[05.8] %s did not return within %d ms (README 05.8)",
                        situation, PATIENCE.toMillis()));
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
        return call.await(PATIENCE);
    }

    @Test
    @DisplayName("loads a missing key once and keeps its value")
    void loadsOnceAndKeeps() throws Exception {
        CountingLoader loader = new CountingLoader(false);

        Value first = getter("a caller", SLOW_KEY, loader).await(PATIENCE).value();
        Value second = getter("a later caller", SLOW_KEY, loader).await(PATIENCE).value();

        assertThat(first).as("[05.8] the value of the first get() (README 05.8)").isEqualTo(new Value(SLOW_KEY, 1));
        assertThat(loader.loads.get()).as("[05.8] loads for two get() calls of one key, one after the other: "
                + "expected 1; the cache keeps a loaded value (05.5's singleflight forgets it, a cache does not) "
                + "(README 05.8)").isEqualTo(1);
        assertThat(second).as("[05.8] the value of a later get() (README 05.8)").isSameAs(first);
        assertThat(cache.getIfPresent(SLOW_KEY)).as("[05.8] getIfPresent() of a loaded key (README 05.8)")
                .isSameAs(first);
        assertThat(cache.getIfPresent(OTHER_KEY)).as("[05.8] getIfPresent() of a key never loaded (README 05.8)")
                .isNull();
    }

    @Test
    @DisplayName("callers for a missing key that start together share one load and its value")
    void concurrentCallersShareOneLoad() throws Exception {
        int callers = 8;
        CountingLoader loader = new CountingLoader(true);
        CountDownLatch go = new CountDownLatch(1);
        List<Background<Outcome>> all = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                all.add(Background.call("[05.8] get(" + SLOW_KEY + ") by caller " + (i + 1), () -> {
                    go.await();
                    try {
                        return new Outcome(cache.get(SLOW_KEY, loader), null, false);
                    } catch (ExecutionException e) {
                        return new Outcome(null, e, false);
                    }
                }));
            }
            go.countDown();
            await("[05.8] one of the callers to start the load (README 05.8)").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .failFast("[05.8] a get() of a missing key returned before its load completed", () -> {
                        for (Background<Outcome> caller : all) {
                            caller.rethrowIfFailed();
                            if (caller.isDone()) {
                                return true;
                            }
                        }
                        return false;
                    })
                    .until(() -> loader.started.getCount() == 0);
            for (Background<Outcome> caller : all) {
                awaitWaiting(caller, "05.8", "a get() of a key being loaded returned before the load completed");
            }
            loader.release.countDown();
            List<Value> values = new ArrayList<>();
            for (Background<Outcome> caller : all) {
                Outcome outcome = awaitWatching("05.8", "a get() did not return after the load completed", caller);
                assertThat(outcome.thrown()).as("[05.8] what a caller threw (README 05.8)").isNull();
                values.add(outcome.value());
            }

            assertThat(loader.loads.get()).as("[05.8] loads for %d callers of one missing key that started together: "
                    + "expected 1. Finding the key missing and publishing its load must be one atomic step, or "
                    + "every caller that found it missing loads it (README 05.8)", callers).isEqualTo(1);
            assertThat(values).as("[05.8] the values the %d callers got: the one load's (README 05.8)", callers)
                    .allSatisfy(value -> assertThat(value).isSameAs(values.getFirst()));
        } finally {
            go.countDown();
            loader.release.countDown();
            stop(all.toArray(new Background<?>[0]));
        }
    }

    @Nested
    @DisplayName("while a key loads slowly")
    class WhileAKeyLoads {

        @Test
        @DisplayName("a key that is present is read at once, even one in the same hash bin")
        void aPresentKeyIsReadAtOnce() throws Exception {
            Value loaded = getter("a caller", LOADED_KEY, new CountingLoader(false)).await(PATIENCE).value();
            CountingLoader slow = new CountingLoader(true);
            Background<Outcome> leader = leader(SLOW_KEY, slow);
            try {
                CountingLoader unused = new CountingLoader(false);
                Outcome read = awaitPrompt(getter("a reader", LOADED_KEY, unused),
                        "get(" + LOADED_KEY + ") of a loaded key", LOCK_HELD_DURING_A_LOAD);

                assertThat(read.value()).as("[05.8] get() of a loaded key while another loads, but %s (README 05.8)",
                        read.describe()).isSameAs(loaded);
                assertThat(unused.loads.get()).as("[05.8] loads for a key that was loaded already (README 05.8)")
                        .isZero();
                Value present = awaitPrompt(Background.call("[05.8] getIfPresent(" + LOADED_KEY + ")",
                        () -> cache.getIfPresent(LOADED_KEY)), "getIfPresent(" + LOADED_KEY + ") of a loaded key",
                        LOCK_HELD_DURING_A_LOAD);
                assertThat(present).as("[05.8] getIfPresent() of a loaded key while another loads (README 05.8)")
                        .isSameAs(loaded);
            } finally {
                slow.release.countDown();
                stop(leader);
            }
        }

        @Test
        @DisplayName("another missing key loads at once, even one in the same hash bin")
        void anotherKeyLoadsAtOnce() throws Exception {
            getter("a caller", LOADED_KEY, new CountingLoader(false)).await(PATIENCE);
            CountingLoader slow = new CountingLoader(true);
            Background<Outcome> leader = leader(SLOW_KEY, slow);
            try {
                Outcome other = awaitPrompt(getter("a caller of another key", OTHER_KEY, new CountingLoader(false)),
                        "get(" + OTHER_KEY + ") of a missing key in the same bin", LOCK_HELD_DURING_A_LOAD);

                assertThat(other.value()).as("[05.8] the value loaded for another key while %s loads, but %s "
                        + "(README 05.8)", SLOW_KEY, other.describe()).isEqualTo(new Value(OTHER_KEY, 1));
                assertThat(slow.loads.get()).as("[05.8] loads of the slow key (README 05.8)").isEqualTo(1);
            } finally {
                slow.release.countDown();
                stop(leader);
            }
        }

        @Test
        @DisplayName("getIfPresent() of the key being loaded returns null at once, and loads nothing")
        void getIfPresentNeverWaits() throws Exception {
            CountingLoader slow = new CountingLoader(true);
            Background<Outcome> leader = leader(SLOW_KEY, slow);
            try {
                Value seen = awaitPrompt(Background.call("[05.8] getIfPresent(" + SLOW_KEY + ")",
                        () -> cache.getIfPresent(SLOW_KEY)), "getIfPresent(" + SLOW_KEY + ") of the key being loaded",
                        "getIfPresent() never waits, not even for a load in flight: it answers null until the value "
                                + "is there.");

                assertThat(seen).as("[05.8] getIfPresent() of a key whose load is in flight: expected null, at once "
                        + "(README 05.8)").isNull();
                assertThat(slow.loads.get()).as("[05.8] loads after getIfPresent(): it never loads (README 05.8)")
                        .isEqualTo(1);
            } finally {
                slow.release.countDown();
                stop(leader);
            }
        }
    }

    @Nested
    @DisplayName("when a load fails")
    class Failed {

        @Test
        @DisplayName("every caller of that load gets its failure; it is not kept, and the next get() loads again")
        void aFailureReachesEveryWaiterAndIsNotKept() throws Exception {
            CountingLoader loader = new CountingLoader(true);
            IOException failure = new IOException("the database is down");
            loader.failure = failure;
            Background<Outcome> first = leader(SLOW_KEY, loader);
            Background<Outcome> second = getter("a second caller", SLOW_KEY, loader);
            Background<Outcome> third = getter("a third caller", SLOW_KEY, loader);
            try {
                joinsTheLoad(second, loader);
                joinsTheLoad(third, loader);

                loader.release.countDown();
                for (Background<Outcome> caller : List.of(first, second, third)) {
                    Outcome outcome = awaitWatching("05.8", "a get() did not return after the load failed", caller);
                    assertThat(outcome.thrown()).as("[05.8] a caller of a load that threw %s, but %s: expected an "
                            + "ExecutionException (README 05.8)", failure, outcome.describe())
                            .isInstanceOf(ExecutionException.class);
                    assertThat(outcome.thrown().getCause()).as("[05.8] the cause of the ExecutionException each "
                            + "caller got: expected the very exception the load threw (README 05.8)")
                            .isSameAs(failure);
                }
                assertThat(cache.getIfPresent(SLOW_KEY)).as("[05.8] getIfPresent() after the key's load failed "
                        + "(README 05.8)").isNull();
                loader.failure = null;
                Outcome retry = getter("a caller after the failure", SLOW_KEY, loader).await(PATIENCE);
                assertThat(retry.value()).as("[05.8] get() after the key's load failed should load again, but %s: a "
                        + "failure is not kept, or the key stays broken forever (README 05.8)", retry.describe())
                        .isEqualTo(new Value(SLOW_KEY, 2));
            } finally {
                loader.release.countDown();
                stop(first, second, third);
            }
        }
    }

    @Nested
    @DisplayName("when a waiting caller is interrupted")
    class Interrupted {

        @Test
        @DisplayName("it throws InterruptedException, status clear; the load goes on and its value is kept")
        void onlyThatCallerStops() throws Exception {
            CountingLoader loader = new CountingLoader(true);
            Background<Outcome> first = leader(SLOW_KEY, loader);
            Background<Outcome> impatient = getter("an impatient caller", SLOW_KEY, loader);
            Background<Outcome> patient = getter("a patient caller", SLOW_KEY, loader);
            try {
                joinsTheLoad(impatient, loader);
                joinsTheLoad(patient, loader);

                impatient.thread().interrupt();
                Outcome stopped = awaitWatching("05.8", "an interrupted caller waiting for another caller's load did "
                        + "not return: waiting for the load should answer interruption", impatient);
                assertThat(stopped.thrown()).as("[05.8] what an interrupted waiting caller threw (README 05.8)")
                        .isInstanceOf(InterruptedException.class);
                assertThat(stopped.interruptedAtReturn()).as("[05.8] the interrupt status after get() threw "
                        + "InterruptedException: expected clear, as after any method that throws it (README 05.8)")
                        .isFalse();
                assertThat(loader.interrupted).as("[05.8] the load was interrupted when a caller waiting for it "
                        + "was: that caller cancelled a load the others still wait for (README 05.8)").isFalse();

                loader.release.countDown();
                for (Background<Outcome> caller : List.of(first, patient)) {
                    Outcome outcome = awaitWatching("05.8", "a get() did not return after the load completed",
                            caller);
                    assertThat(outcome.value()).as("[05.8] what a caller got after another waiting caller was "
                            + "interrupted, but %s: one caller's interruption cancels no other (README 05.8)",
                            outcome.describe()).isEqualTo(new Value(SLOW_KEY, 1));
                }
                assertThat(cache.getIfPresent(SLOW_KEY)).as("[05.8] getIfPresent() after the load completed: its "
                        + "value is kept although a waiting caller was interrupted (README 05.8)")
                        .isEqualTo(new Value(SLOW_KEY, 1));
            } finally {
                loader.release.countDown();
                stop(first, impatient, patient);
            }
        }
    }
}
