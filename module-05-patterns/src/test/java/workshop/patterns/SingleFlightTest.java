package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("05.5")
@DisplayName("05.5 Singleflight")
class SingleFlightTest {

    /** "Aa" and "BB" have the same hash code: in a hash map they share a bin, whatever its size. */
    private static final String KEY = "Aa";
    private static final String SAME_BIN_KEY = "BB";

    /**
     * A call the test holds: it counts its executions, notes the thread of the first, and waits (untimed, parked) until
     * the test releases it; then it returns "value #n" or throws {@link #failure} if one was set.
     */
    private static final class HeldCall implements Callable<String> {
        final AtomicInteger executions = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Thread> firstRunner = new AtomicReference<>();
        volatile boolean interrupted;
        volatile Exception failure;

        @Override
        public String call() throws Exception {
            int n = executions.incrementAndGet();
            firstRunner.compareAndSet(null, Thread.currentThread());
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
            return "value #" + n;
        }

        /** Waits until the call has started; fails at once if {@code leader} returned or threw meanwhile. */
        void awaitStarted(Background<?> leader) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .failFast("[05.5] the first caller of run() returned without running the call: the first "
                            + "caller runs it (README 05.5)", () -> {
                        leader.rethrowIfFailed();
                        return leader.isDone() && started.getCount() > 0;
                    })
                    .alias("[05.5] the first caller of run() did not start the call (README 05.5)")
                    .until(() -> started.getCount() == 0);
        }
    }

    /** What one caller of run() saw: a value or an exception, and its interrupt status afterwards. */
    private record Outcome(String value, Throwable thrown, boolean interruptedAtReturn) {
    }

    private static Background<Outcome> caller(String name, SingleFlight<String, String> group, String key,
            Callable<String> call) {
        return Background.call("[05.5] " + name + ": run(" + key + ")", () -> {
            try {
                return new Outcome(group.run(key, call), null, Thread.currentThread().isInterrupted());
            } catch (ExecutionException | InterruptedException e) {
                return new Outcome(null, e, Thread.currentThread().isInterrupted());
            }
        });
    }

    /** Starts the leader for {@code key} and waits until its call is running (held). */
    private static Background<Outcome> leader(SingleFlight<String, String> group, String key, HeldCall call) {
        Background<Outcome> leader = caller("the first caller", group, key, call);
        call.awaitStarted(leader);
        return leader;
    }

    private static void joinWaiting(Background<Outcome> joiner, HeldCall call) {
        awaitWaiting(joiner, "05.5", "a second caller for a key in flight returned before the first caller's call "
                + "completed: it should wait for that execution's outcome");
        assertThat(call.executions.get()).as("[05.5] executions of the call while a second caller for the same key "
                + "waits: expected 1, the first caller's (README 05.5)").isEqualTo(1);
    }

    @Test
    @DisplayName("returns the value of the call, run on the caller's thread")
    void returnsTheValueOnTheCallersThread() throws Exception {
        SingleFlight<String, Thread> group = new SingleFlight<>();
        Background<Thread> caller = Background.call("[05.5] run(key, who runs me?)",
                () -> group.run(KEY, Thread::currentThread));

        Thread runner = caller.await(PATIENCE);

        assertThat(runner).as("[05.5] the thread that ran the call: the first caller runs it itself, as Go's Do "
                + "does, so nothing runs on after run() returns (README 05.5)").isSameAs(caller.thread());
    }

    @Nested
    @DisplayName("while a call is in flight")
    class InFlight {

        @Test
        @DisplayName("callers for the same key wait, parked, and share its one execution and its value")
        void callersShareOneExecution() throws Exception {
            SingleFlight<String, String> group = new SingleFlight<>();
            HeldCall call = new HeldCall();
            Background<Outcome> first = leader(group, KEY, call);
            Background<Outcome> second = caller("a second caller", group, KEY, call);
            Background<Outcome> third = caller("a third caller", group, KEY, call);
            try {
                joinWaiting(second, call);
                joinWaiting(third, call);

                call.release.countDown();
                for (Background<Outcome> caller : List.of(first, second, third)) {
                    Outcome outcome = awaitWatching("05.5", "a caller did not return after the shared call completed",
                            caller);
                    assertThat(outcome.thrown()).as("[05.5] what a caller threw (README 05.5)").isNull();
                    assertThat(outcome.value()).as("[05.5] what each of 3 callers got: the value of the one "
                            + "execution (README 05.5)").isEqualTo("value #1");
                }
                assertThat(call.executions.get()).as("[05.5] executions of the call for 3 concurrent callers of one "
                        + "key: expected 1 (README 05.5)").isEqualTo(1);
            } finally {
                call.release.countDown();
                stop(first, second, third);
            }
        }

        @Test
        @DisplayName("callers for the same key share its failure: the same exception as cause, not a second run")
        void callersShareTheFailure() throws Exception {
            SingleFlight<String, String> group = new SingleFlight<>();
            HeldCall call = new HeldCall();
            IOException failure = new IOException("the database is down");
            call.failure = failure;
            Background<Outcome> first = leader(group, KEY, call);
            Background<Outcome> second = caller("a second caller", group, KEY, call);
            try {
                joinWaiting(second, call);

                call.release.countDown();
                for (Background<Outcome> caller : List.of(first, second)) {
                    Outcome outcome = awaitWatching("05.5", "a caller did not return after the shared call failed",
                            caller);
                    assertThat(outcome.thrown()).as("[05.5] a caller of a call that threw %s got %s: expected an "
                            + "ExecutionException (README 05.5)", failure, outcome.thrown())
                            .isInstanceOf(ExecutionException.class);
                    assertThat(outcome.thrown().getCause()).as("[05.5] the cause of the ExecutionException each "
                            + "caller got: expected the very exception the one execution threw (README 05.5)")
                            .isSameAs(failure);
                }
                assertThat(call.executions.get()).as("[05.5] executions of a failing call for 2 concurrent callers: "
                        + "expected 1, a failure is an outcome to share, not a reason to run again (README 05.5)")
                        .isEqualTo(1);
            } finally {
                call.release.countDown();
                stop(first, second);
            }
        }

        @Test
        @DisplayName("a call for another key runs at once, even one whose hash code is the same")
        void anotherKeyIsNotBlocked() throws Exception {
            SingleFlight<String, String> group = new SingleFlight<>();
            HeldCall held = new HeldCall();
            Background<Outcome> first = leader(group, KEY, held);
            try {
                Background<Outcome> other = caller("a caller for another key", group, SAME_BIN_KEY,
                        () -> "other value");
                Outcome outcome = awaitWatching("05.5", "a call for key " + SAME_BIN_KEY + " did not return while a "
                        + "call for " + KEY + " was in flight: does one lock serialise every key, or does the call "
                        + "run inside the map's lock (computeIfAbsent holds the bin's lock while it computes)?", other);

                assertThat(outcome.value()).as("[05.5] the value for another key (README 05.5)")
                        .isEqualTo("other value");
                assertThat(held.executions.get()).as("[05.5] executions of the held call (README 05.5)").isEqualTo(1);
            } finally {
                held.release.countDown();
                stop(first);
            }
        }
    }

    @Nested
    @DisplayName("when a waiting caller is interrupted")
    class Interrupted {

        @Test
        @DisplayName("it throws InterruptedException, status clear; the execution and the other callers go on")
        void onlyThatCallerStops() throws Exception {
            SingleFlight<String, String> group = new SingleFlight<>();
            HeldCall call = new HeldCall();
            Background<Outcome> first = leader(group, KEY, call);
            Background<Outcome> impatient = caller("an impatient caller", group, KEY, call);
            Background<Outcome> patient = caller("a patient caller", group, KEY, call);
            Background<Outcome> late = null;
            try {
                joinWaiting(impatient, call);
                joinWaiting(patient, call);

                impatient.thread().interrupt();
                Outcome stopped = awaitWatching("05.5", "an interrupted waiting caller did not return: waiting for "
                        + "the outcome should answer interruption", impatient);
                assertThat(stopped.thrown()).as("[05.5] what an interrupted waiting caller threw (README 05.5)")
                        .isInstanceOf(InterruptedException.class);
                assertThat(stopped.interruptedAtReturn()).as("[05.5] the interrupt status after run() threw "
                        + "InterruptedException: expected clear, as after any method that throws it (README 05.5)")
                        .isFalse();
                // An interrupt sent to the leader may still be on its way into the call: wait until the leader is
                // either back to waiting, not interrupted, or has seen the interrupt.
                Thread leader = first.thread();
                await().atMost(PATIENCE).until(() -> call.interrupted
                        || (leader.getState() == Thread.State.WAITING && !leader.isInterrupted()));
                assertThat(call.interrupted || leader.isInterrupted())
                        .as("[05.5] the shared call was interrupted when one waiting caller "
                        + "was: that caller cancelled an execution the others still wait for (README 05.5)").isFalse();

                late = caller("a caller that comes later", group, KEY, call);
                awaitWaiting(late, "05.5", "a caller that came while the call was still in flight returned at once");
                assertThat(call.executions.get()).as("[05.5] executions after a caller came while the call was "
                        + "still in flight, after another caller's interruption: expected 1; did the interrupted "
                        + "caller forget the key although the execution had not completed? (README 05.5)")
                        .isEqualTo(1);

                call.release.countDown();
                for (Background<Outcome> caller : List.of(first, patient, late)) {
                    Outcome outcome = awaitWatching("05.5", "a caller did not return after the shared call completed",
                            caller);
                    assertThat(outcome.thrown()).as("[05.5] what a caller threw after another waiting caller was "
                            + "interrupted: expected nothing, one caller's interruption cancels no other "
                            + "(README 05.5)").isNull();
                    assertThat(outcome.value()).as("[05.5] the shared value (README 05.5)").isEqualTo("value #1");
                }
            } finally {
                call.release.countDown();
                stop(first, impatient, patient, late);
            }
        }
    }

    @Nested
    @DisplayName("once the call has completed")
    class Completed {

        @Test
        @DisplayName("the key is forgotten: a later call runs again and gets a fresh value")
        void aLaterCallRunsAgain() throws Exception {
            SingleFlight<String, String> group = new SingleFlight<>();
            AtomicInteger executions = new AtomicInteger();
            Callable<String> call = () -> "value #" + executions.incrementAndGet();

            String first = Background.call("[05.5] run(key) once", () -> group.run(KEY, call)).await(PATIENCE);
            String second = Background.call("[05.5] run(key) again", () -> group.run(KEY, call)).await(PATIENCE);

            assertThat(first).as("[05.5] the first value (README 05.5)").isEqualTo("value #1");
            assertThat(second).as("[05.5] a call for a key whose execution had completed got %s: expected a new "
                    + "execution's value #2; forget the key when its call completes, or every later caller gets a "
                    + "stale result forever (README 05.5)", second).isEqualTo("value #2");
        }

        @Test
        @DisplayName("a failed call is forgotten too: a later call runs again")
        void aFailedCallIsForgotten() throws Exception {
            SingleFlight<String, String> group = new SingleFlight<>();
            AtomicInteger executions = new AtomicInteger();
            Callable<String> call = () -> {
                if (executions.incrementAndGet() == 1) {
                    throw new IOException("a transient failure");
                }
                return "value #2";
            };

            Throwable first = Background.call("[05.5] run(key) that fails", () -> {
                try {
                    group.run(KEY, call);
                    return null;
                } catch (ExecutionException e) {
                    return e;
                }
            }).await(PATIENCE);
            String second = Background.call("[05.5] run(key) again", () -> group.run(KEY, call)).await(PATIENCE);

            assertThat(first).as("[05.5] what a failed call threw: expected an ExecutionException (README 05.5)")
                    .isInstanceOf(ExecutionException.class);
            assertThat(second).as("[05.5] a call for a key whose execution had failed: expected a new execution, "
                    + "forget the key whatever the outcome (README 05.5)").isEqualTo("value #2");
        }
    }
}
