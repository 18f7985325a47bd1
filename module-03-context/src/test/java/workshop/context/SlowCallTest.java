package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("03.9")
@DisplayName("03.9 A slow call with a deadline")
class SlowCallTest {

    /**
     * A call that can never finish on its own: it waits until interrupted, records that, and may be told to linger
     * after the interrupt (so a test can see whether callWithin waits for it to end).
     */
    private static final class BlockedCall implements Callable<String> {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch mayExit = new CountDownLatch(1);
        final CountDownLatch exited = new CountDownLatch(1);
        final AtomicReference<Thread> runner = new AtomicReference<>();
        volatile boolean endedByTest;

        BlockedCall exitAtOnce() {
            mayExit.countDown();
            return this;
        }

        @Override
        public String call() throws InterruptedException {
            runner.set(Thread.currentThread());
            started.countDown();
            if (endedByTest) { // started after the test's cleanup (a callWithin that abandoned it): end at once
                exited.countDown();
                return "ended by the test";
            }
            try {
                new CountDownLatch(1).await(); // forever, until interrupted
                return "a value that cannot come";
            } catch (InterruptedException e) {
                interrupted.countDown();
                // cleanup after cancellation takes a while; the test decides how long (bounded: never a hang)
                mayExit.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                throw e;
            } finally {
                exited.countDown();
            }
        }

        boolean hasExited() {
            return exited.getCount() == 0;
        }

        /** The test's cleanup: a call that was abandoned still runs; end it. */
        void end() throws InterruptedException {
            endedByTest = true;
            mayExit.countDown();
            Thread thread = runner.get();
            if (thread != null) {
                thread.interrupt();
                thread.join(PATIENCE);
            }
        }
    }

    /** What callWithin did: its result or exception, and whether the call had ended when it returned. */
    private record Outcome(Object result, Throwable thrown, boolean callHadExited, boolean interruptedAtReturn) {
    }

    private static Background<Outcome> callWithinInBackground(BlockedCall call, Duration timeout) {
        return Background.call("[03.9] callWithin(blocked call, " + timeout.toMillis() + " ms)", () -> {
            try {
                Object result = SlowCall.callWithin(call, timeout);
                return new Outcome(result, null, call.hasExited(), Thread.currentThread().isInterrupted());
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                return new Outcome(null, e, call.hasExited(), Thread.currentThread().isInterrupted());
            }
        });
    }

    private record TimedOut(BlockedCall call, Background<Outcome> caller) {
    }

    /**
     * Starts callWithin(a blocked call, 50 ms) and waits until the call has started, or callWithin has returned
     * without starting it: on a loaded machine a correct callWithin may time out and cancel the call before its thread
     * ever ran, and then there is nothing to observe, so it tries again (at most 5 times). The previous attempts are
     * ended before the next.
     */
    private static TimedOut timedOutCall(boolean exitAtOnce) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            BlockedCall call = exitAtOnce ? new BlockedCall().exitAtOnce() : new BlockedCall();
            Background<Outcome> caller = callWithinInBackground(call, Duration.ofMillis(50));
            await("[03.9] the call to start, or callWithin to return").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> call.started.getCount() == 0 || caller.isDone());
            if (call.started.getCount() == 0 || attempt == 5) {
                return new TimedOut(call, caller);
            }
            try {
                caller.await(PATIENCE); // a learner's exception shows here
            } finally {
                call.end();
            }
        }
    }

    /** Waits for {@code latch}; fails at once with what the caller threw, or if the caller returned meanwhile. */
    private static void awaitLatch(CountDownLatch latch, Background<Outcome> caller, String whatWentWrong) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast("[03.9] callWithin returned early: " + whatWentWrong + " (README 03.9)", () -> {
                    caller.rethrowIfFailed();
                    return caller.isDone() && latch.getCount() > 0;
                })
                .alias("[03.9] " + whatWentWrong + " (README 03.9)")
                .until(() -> latch.getCount() == 0);
    }

    @Test
    @DisplayName("returns the value of a call that finishes in time")
    void returnsTheValueOfAFastCall() throws Exception {
        String value = Background.call("[03.9] callWithin(fast call, 5 s)",
                () -> SlowCall.callWithin(() -> "done", PATIENCE)).await(PATIENCE);

        assertThat(value).as("[03.9] the value of the call (README 03.9)").isEqualTo("done");
    }

    @Test
    @DisplayName("runs the call on another thread")
    void runsTheCallOnAnotherThread() throws Exception {
        Background<Boolean> caller = Background.call("[03.9] callWithin(who runs me?, 5 s)", () -> {
            Thread me = Thread.currentThread();
            return SlowCall.callWithin(() -> Thread.currentThread() == me, PATIENCE);
        });

        assertThat(caller.await(PATIENCE)).as("[03.9] the call ran on the caller's thread: then nobody can stop "
                + "waiting for it, run it on a thread of its own (README 03.9)").isFalse();
    }

    @Test
    @DisplayName("on time-out interrupts the call, waits until it has ended, then throws TimeoutException")
    void onTimeOutInterruptsTheCallAndWaitsForIt() throws InterruptedException {
        TimedOut timedOut = timedOutCall(true);
        BlockedCall call = timedOut.call();
        try {
            Outcome outcome = awaitWatching("03.9", "callWithin did not return although its 50 ms had run out: "
                    + "does it wait for the call with a limit, and does the call get interrupted?",
                    timedOut.caller());

            assertThat(outcome.thrown()).as("[03.9] a call that cannot finish, with a 50 ms limit: expected a "
                    + "TimeoutException, got %s (README 03.9)", outcome.thrown()).isInstanceOf(TimeoutException.class);
            assertThat(call.interrupted.getCount()).as("[03.9] the slow call was abandoned, not interrupted: it was "
                    + "still running when callWithin returned; cancel it by interruption (README 03.9)").isZero();
            assertThat(outcome.callHadExited()).as("[03.9] the slow call was interrupted but still running when "
                    + "callWithin returned: wait until it has ended (README 03.9)").isTrue();
        } finally {
            call.end();
        }
    }

    @Test
    @DisplayName("does not return before a cancelled call has ended, however long its cleanup takes")
    void doesNotReturnBeforeTheCancelledCallHasEnded() throws InterruptedException {
        TimedOut timedOut = timedOutCall(false); // the call lingers after the interrupt until the test lets it exit
        BlockedCall call = timedOut.call();
        Background<Outcome> caller = timedOut.caller();
        try {
            awaitLatch(call.interrupted, caller, "the slow call was never interrupted, although its 50 ms had run "
                    + "out: cancel it by interruption");
            awaitParked(caller, "03.9", "callWithin returned while the cancelled call was still cleaning up: "
                    + "after the interrupt, wait until the call has ended");
            call.mayExit.countDown();
            Outcome outcome = awaitWatching("03.9", "callWithin did not return after the cancelled call ended",
                    caller);

            assertThat(outcome.callHadExited()).as("[03.9] callWithin returned while the cancelled call was still "
                    + "running: wait until it has ended (README 03.9)").isTrue();
            assertThat(outcome.thrown()).as("[03.9] expected a TimeoutException, got %s (README 03.9)",
                    outcome.thrown()).isInstanceOf(TimeoutException.class);
        } finally {
            call.end();
        }
    }

    @Test
    @DisplayName("throws ExecutionException with the call's exception as its cause when the call fails")
    void passesOnTheCallsFailure() throws InterruptedException {
        IOException failure = new IOException("the service said no");
        Throwable thrown = Background.call("[03.9] callWithin(failing call, 5 s)", () -> catchThrowable(
                () -> SlowCall.callWithin(() -> {
                    throw failure;
                }, PATIENCE))).await(PATIENCE);

        assertThat(thrown).as("[03.9] a failing call should make callWithin throw ExecutionException with the "
                + "call's exception as its cause, but it threw %s (README 03.9)", thrown)
                .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
    }

    @Test
    @DisplayName("interrupting the caller interrupts the call, waits until it has ended, however long its cleanup "
                 + "takes, and throws InterruptedException")
    void interruptingTheCallerCancelsTheCall() throws InterruptedException {
        BlockedCall call = new BlockedCall(); // lingers after the interrupt until the test lets it exit
        Background<Outcome> caller = callWithinInBackground(call, Duration.ofMinutes(10));
        try {
            awaitLatch(call.started, caller, "the call never started: run it on a thread of its own");
            awaitParked(caller, "03.9", "callWithin returned before the call finished and long before its time-out");

            caller.thread().interrupt();

            awaitLatch(call.interrupted, caller, "the caller was interrupted, but the call was not: the caller's "
                    + "cancellation should reach the call");
            awaitParked(caller, "03.9", "callWithin returned while the call it cancelled was still running: after "
                    + "the interrupt, wait until the call has ended");
            call.mayExit.countDown();
            Outcome outcome = awaitWatching("03.9", "callWithin did not return after the call it cancelled had "
                    + "ended", caller);

            assertThat(outcome.thrown()).as("[03.9] expected InterruptedException when the caller is interrupted, "
                    + "got %s (README 03.9)", outcome.thrown()).isInstanceOf(InterruptedException.class);
            assertThat(outcome.interruptedAtReturn()).as("[03.9] callWithin threw InterruptedException with the "
                    + "interrupt status set again: the exception is how the interrupt is passed on, and a method "
                    + "that throws it clears the status, as the JDK's do (README 03.9)").isFalse();
            assertThat(outcome.callHadExited()).as("[03.9] callWithin returned while the call it cancelled was still "
                    + "running: wait until it has ended (README 03.9)").isTrue();
        } finally {
            call.end();
        }
    }
}
