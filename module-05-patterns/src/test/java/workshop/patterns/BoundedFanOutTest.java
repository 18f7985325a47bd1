package workshop.patterns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("05.2")
@DisplayName("05.2 Bounded fan-out")
class BoundedFanOutTest {

    /**
     * The calls the test hands to mapBounded: input i answers {@code i * 10} once its latch opens. They count who
     * started, is running (and the peak), was interrupted and ended. An interrupted call lingers in its clean-up
     * until the test lets it exit, so a mapBounded that returns without waiting for it is seen every time.
     */
    private static final class Calls {
        final int count;
        final List<CountDownLatch> release;
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        final AtomicInteger exited = new AtomicInteger();
        /** Opens when {@code failAfter} calls have started: then the failing input throws. */
        final CountDownLatch allStarted;
        final CountDownLatch mayExit = new CountDownLatch(1);
        volatile int failing = -1;
        final IOException failure = new IOException("the service said no");

        Calls(int count, int failAfter) {
            this.count = count;
            this.release = IntStream.range(0, count).mapToObj(i -> new CountDownLatch(1)).toList();
            this.allStarted = new CountDownLatch(failAfter);
        }

        List<Integer> inputs() {
            return IntStream.range(0, count).boxed().toList();
        }

        Integer call(Integer input) throws Exception {
            started.incrementAndGet();
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            allStarted.countDown();
            try {
                if (input == failing) {
                    allStarted.await();
                    throw failure;
                }
                release.get(input).await();
                return input * 10;
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                try { // clean-up takes a while: until the test lets it exit (bounded: never a hang)
                    mayExit.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
                throw e;
            } finally {
                running.decrementAndGet();
                exited.incrementAndGet();
            }
        }

        void releaseAll() {
            release.forEach(CountDownLatch::countDown);
            mayExit.countDown();
        }
    }

    /** What mapBounded did, and what the calls' counters said when it returned. */
    private record Outcome(List<Integer> results, Throwable thrown, int startedAtReturn, int exitedAtReturn,
                           boolean interruptedAtReturn) {
    }

    private final List<Calls> callSets = new CopyOnWriteArrayList<>();
    private final List<Background<?>> callers = new CopyOnWriteArrayList<>();

    private Calls calls(int count, int failAfter) {
        Calls calls = new Calls(count, failAfter);
        callSets.add(calls);
        return calls;
    }

    private Background<Outcome> mapBoundedInBackground(Calls calls, int limit) {
        Background<Outcome> caller = Background.call("[05.2] mapBounded(" + calls.count + " inputs, limit " + limit
                + ")", () -> {
                    try {
                        List<Integer> results = BoundedFanOut.mapBounded(calls.inputs(), limit, calls::call);
                        return new Outcome(results, null, calls.started.get(), calls.exited.get(),
                                Thread.currentThread().isInterrupted());
                    } catch (ExecutionException | InterruptedException e) {
                        return new Outcome(null, e, calls.started.get(), calls.exited.get(),
                                Thread.currentThread().isInterrupted());
                    }
                });
        callers.add(caller);
        return caller;
    }

    /** Cleanup: lets every call answer or exit, stops a caller still blocked, waits for the calls to end. */
    @AfterEach
    void endEverything() throws InterruptedException {
        callSets.forEach(Calls::releaseAll);
        for (Background<?> caller : callers) {
            caller.thread().interrupt();
            caller.join(PATIENCE);
        }
        for (Calls calls : callSets) {
            await("[05.2] the calls to end after the test").atMost(PATIENCE)
                    .until(() -> calls.exited.get() == calls.started.get());
        }
    }

    private static void awaitInFlight(Calls calls, int expected, Background<Outcome> caller, String hint) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast(() -> {
                    caller.rethrowIfFailed();
                    return false;
                })
                .alias("[05.2] expected " + expected + " calls in flight, saw " + calls.running.get() + ": " + hint
                        + " (README 05.2)")
                .until(() -> calls.running.get() >= expected);
    }

    private static void assertPeak(Calls calls, int limit) {
        assertThat(calls.peak.get()).as("[05.2] %d calls were in flight at once with a limit of %d: wait for a free "
                + "slot before you start a call (README 05.2)", calls.peak.get(), limit).isLessThanOrEqualTo(limit);
    }

    @Test
    @DisplayName("returns the results in input order, not in the order the calls finished")
    void returnsTheResultsInInputOrder() throws InterruptedException {
        Calls calls = calls(5, 0);
        Background<Outcome> caller = mapBoundedInBackground(calls, 5);
        awaitInFlight(calls, 5, caller, "with a limit of 5 and 5 inputs every call should run at once; are you "
                + "waiting for each call inside the loop?");
        for (int i = 4; i >= 0; i--) { // the last input finishes first
            calls.release.get(i).countDown();
        }
        Outcome outcome = awaitWatching("05.2", "mapBounded did not return after every call had answered", caller);

        assertThat(outcome.thrown()).as("[05.2] 5 calls that answered: expected results, got %s (README 05.2)",
                outcome.thrown()).isNull();
        assertThat(outcome.results()).as("[05.2] the results should be in the order of the inputs, whatever order "
                + "the calls finished in (README 05.2)").containsExactly(0, 10, 20, 30, 40);
    }

    @Test
    @DisplayName("returns an empty list for no inputs")
    void returnsAnEmptyListForNoInputs() throws InterruptedException {
        List<Integer> results = Background.call("[05.2] mapBounded(no inputs, limit 3)",
                () -> BoundedFanOut.mapBounded(List.<Integer>of(), 3, input -> input)).await(PATIENCE);

        assertThat(results).as("[05.2] no inputs, no results (README 05.2)").isEmpty();
    }

    @Test
    @DisplayName("keeps exactly k calls in flight while there are more inputs, and never more")
    void keepsKCallsInFlightAndNeverMore() throws InterruptedException {
        int limit = 4;
        Calls calls = calls(10, 0);
        Background<Outcome> caller = mapBoundedInBackground(calls, limit);
        awaitInFlight(calls, limit, caller, "with 10 inputs and a limit of 4, 4 calls should run at once; are you "
                + "joining inside the loop?");
        awaitWaiting(caller, "05.2", "mapBounded returned while its calls were still blocked");
        assertPeak(calls, limit);
        int busyThreads = FanOutThreads.countBusy(caller.thread());
        assertThat(busyThreads).as("[05.2] with a limit of 4, %d threads were already started for the calls: a "
                + "thread started for every input that waits for a slot inside is not bounded; take the slot "
                + "before you start the thread (README 05.2)", busyThreads).isLessThanOrEqualTo(limit);
        for (int i = 0; i < calls.count; i++) { // one call ends, the next input starts: the window slides
            calls.release.get(i).countDown();
            int expected = Math.min(calls.count, limit + i + 1);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .alias("[05.2] call " + i + " ended, so call " + (expected - 1) + " should have started; "
                            + calls.started.get() + " had started: start the next call as soon as a slot is free "
                            + "(README 05.2)")
                    .until(() -> calls.started.get() >= expected);
            assertPeak(calls, limit);
        }
        Outcome outcome = awaitWatching("05.2", "mapBounded did not return after every call had answered", caller);

        assertPeak(calls, limit);
        assertThat(outcome.results()).as("[05.2] the results in input order (README 05.2)")
                .containsExactly(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);
    }

    @Test
    @DisplayName("the first failure interrupts the running calls, starts no other, waits for them and is thrown")
    void theFirstFailureCancelsTheRest() throws InterruptedException {
        int limit = 3;
        Calls calls = calls(10, limit);
        calls.failing = 1; // fails once 3 calls are in flight; inputs 0 and 2 block until interrupted
        Background<Outcome> caller = mapBoundedInBackground(calls, limit);
        awaitCancelledWhileCallerWaits(calls, 2, caller);
        Outcome outcome = awaitWatching("05.2", "mapBounded did not return after the failed call's siblings had "
                + "ended", caller);

        assertThat(outcome.thrown()).as("[05.2] a failing call should make mapBounded throw ExecutionException with "
                + "the call's exception as its cause, it threw %s (README 05.2)", outcome.thrown())
                .isInstanceOf(ExecutionException.class).cause().isSameAs(calls.failure);
        assertThat(outcome.startedAtReturn()).as("[05.2] %d calls had started when mapBounded threw, expected the 3 "
                + "that were in flight when one failed: after a failure start no new call (README 05.2)",
                outcome.startedAtReturn()).isEqualTo(limit);
        assertThat(outcome.exitedAtReturn()).as("[05.2] mapBounded threw while %d of the calls it started were "
                + "still running: wait until every call has ended (README 05.2)",
                outcome.startedAtReturn() - outcome.exitedAtReturn()).isEqualTo(outcome.startedAtReturn());
        assertThat(calls.started.get()).as("[05.2] a call started after mapBounded had thrown: nothing it started "
                + "may run after it returns (README 05.2)").isEqualTo(outcome.startedAtReturn());
    }

    @Test
    @DisplayName("an interrupted caller interrupts every call, waits for them, and throws InterruptedException")
    void anInterruptedCallerCancelsEveryCall() throws InterruptedException {
        int limit = 2;
        Calls calls = calls(6, 0);
        Background<Outcome> caller = mapBoundedInBackground(calls, limit);
        awaitInFlight(calls, limit, caller, "with 6 inputs and a limit of 2, 2 calls should run at once");
        awaitParked(caller, "05.2", "mapBounded returned while its calls were still blocked");

        caller.thread().interrupt();
        awaitCancelledWhileCallerWaits(calls, limit, caller);
        Outcome outcome = awaitWatching("05.2", "mapBounded did not return after the calls it cancelled had "
                + "ended", caller);

        assertThat(outcome.thrown()).as("[05.2] expected InterruptedException when the caller is interrupted, got "
                + "%s (README 05.2)", outcome.thrown()).isInstanceOf(InterruptedException.class);
        assertThat(outcome.interruptedAtReturn()).as("[05.2] mapBounded threw InterruptedException with the "
                + "interrupt status set again: a method that throws it clears the status, as the JDK's do "
                + "(README 05.2)").isFalse();
        assertThat(outcome.startedAtReturn()).as("[05.2] %d calls had started when mapBounded threw, expected the 2 "
                + "that were in flight when the caller was interrupted: start no new call (README 05.2)",
                outcome.startedAtReturn()).isEqualTo(limit);
        assertThat(outcome.exitedAtReturn()).as("[05.2] mapBounded threw while calls it started were still running: "
                + "wait until every call has ended (README 05.2)").isEqualTo(outcome.startedAtReturn());
        assertThat(calls.started.get()).as("[05.2] a call started after mapBounded had thrown: nothing it started "
                + "may run after it returns (README 05.2)").isEqualTo(outcome.startedAtReturn());
    }

    /**
     * Waits until {@code count} calls have been interrupted, checks that the caller still waits for them (they linger
     * in their clean-up), and only then lets them exit. Fails, saying what it saw, if the caller returns first.
     */
    private static void awaitCancelledWhileCallerWaits(Calls calls, int count, Background<Outcome> caller) {
        await("[05.2] " + count + " calls to be interrupted by mapBounded: cancel the running calls by interruption "
                + "(README 05.2)").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast(() -> {
                    caller.rethrowIfFailed();
                    int seen = calls.interrupted.get();
                    if (caller.isDone() && seen < count) {
                        throw new AssertionError("[05.2] mapBounded returned while " + (count - seen) + " of the "
                                + count + " calls it should have cancelled were still running, not even "
                                + "interrupted: cancel them by interruption, and wait until they have ended "
                                + "(README 05.2)");
                    }
                    return false;
                })
                .until(() -> calls.interrupted.get() >= count);
        awaitParked(caller, "05.2", "mapBounded returned while the calls it had interrupted were still running "
                + "(busy cleaning up): after cancelling them, wait until they have ended");
        calls.mayExit.countDown();
    }
}
