package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("03.6")
@DisplayName("03.6 Context: cause and afterFunc")
class ContextCauseTest {

    @Nested
    @DisplayName("cause()")
    class Cause {

        @Test
        @DisplayName("is null while the context is not done")
        void nullWhileNotDone() {
            CancellableWithCause child = Context.withCancelCause(Context.background());

            assertThat(child.context().cause())
                    .as("[03.6] a context that is not done has no cause, but cause() was %s (README 03.6)",
                            child.context().cause())
                    .isNull();
            assertThat(Context.background().cause()).as("[03.6] background() is never done: cause() is null")
                    .isNull();
            child.cancel(null);
        }

        @Test
        @DisplayName("is the throwable given to cancel(cause), while err() is CANCELED")
        void causeIsRecorded() {
            CancellableWithCause child = Context.withCancelCause(Context.background());
            IllegalStateException why = new IllegalStateException("the client went away");

            child.cancel(why);

            assertThat(child.context().cause())
                    .as("[03.6] cause() should be the very throwable given to cancel(cause), but was %s "
                        + "(README 03.6)", child.context().cause())
                    .isSameAs(why);
            assertThat(child.context().err())
                    .as("[03.6] err() stays one of the two sentinels, CANCELED, whatever the cause, but was %s "
                        + "(README 03.6)", child.context().err())
                    .isEqualTo(ContextError.CANCELED);
        }

        @Test
        @DisplayName("the first cancel wins: a second cause is ignored")
        void firstCauseWins() {
            CancellableWithCause child = Context.withCancelCause(Context.background());
            RuntimeException first = new RuntimeException("first");

            child.cancel(first);
            child.cancel(new RuntimeException("second"));

            assertThat(child.context().cause())
                    .as("[03.6] only the first cancel has an effect, so cause() should be the first cause, but was "
                        + "%s (README 03.6)", child.context().cause())
                    .isSameAs(first);
        }

        @Test
        @DisplayName("descendants see their ancestor's cause, through value links too")
        void descendantsSeeTheCause() {
            CancellableWithCause parent = Context.withCancelCause(Context.background());
            Context child = Context.withCancel(parent.context()).context();
            Context valueChild = Context.withValue(child, Key.named("k"), "v");
            RuntimeException why = new RuntimeException("shutting down");

            parent.cancel(why);

            assertThat(child.cause())
                    .as("[03.6] a child cancelled by its parent should report the parent's cause, but cause() was "
                        + "%s: does the cause travel down with the cancellation? (README 03.6)", child.cause())
                    .isSameAs(why);
            assertThat(valueChild.cause())
                    .as("[03.6] a value context below should report the same cause, but cause() was %s "
                        + "(README 03.6)", valueChild.cause())
                    .isSameAs(why);
        }

        @Test
        @DisplayName("without a cause it is err().exception(): cancel(null), a plain cancel, a deadline")
        void defaultCauseIsTheError() {
            FakeTimer timer = new FakeTimer();
            Context root = Context.background(timer);
            CancellableWithCause withNull = Context.withCancelCause(root);
            Cancellable plain = Context.withCancel(root);
            Cancellable timed = Context.withTimeout(root, Duration.ofSeconds(1));

            withNull.cancel(null);
            plain.cancel();
            timer.advance(Duration.ofSeconds(1));

            assertThat(withNull.context().cause())
                    .as("[03.6] cancel(null) records no cause, so cause() should be CANCELED.exception(), but was "
                        + "%s (README 03.6)", withNull.context().cause())
                    .isSameAs(ContextError.CANCELED.exception());
            assertThat(plain.context().cause())
                    .as("[03.6] a plain cancel() gives cause() = CANCELED.exception(), but it was %s (README 03.6)",
                            plain.context().cause())
                    .isSameAs(ContextError.CANCELED.exception());
            assertThat(timed.context().cause())
                    .as("[03.6] a passed deadline gives cause() = DEADLINE_EXCEEDED.exception(), but it was %s "
                        + "(README 03.6)", timed.context().cause())
                    .isSameAs(ContextError.DEADLINE_EXCEEDED.exception());
        }
    }

    @Nested
    @DisplayName("afterFunc()")
    class AfterFuncs {

        @Test
        @DisplayName("runs once, after the context is done, on a thread of its own")
        void runsOnceAfterDoneOnItsOwnThread() throws InterruptedException {
            Cancellable child = Context.withCancel(Context.background());
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicReference<ContextError> errSeen = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            child.context().afterFunc(() -> {
                ranOn.set(Thread.currentThread());
                errSeen.set(child.context().err());
                runs.incrementAndGet();
                ran.countDown();
            });
            assertThat(runs.get()).as("[03.6] the function ran before the context was done (README 03.6)")
                    .isZero();

            child.cancel(); // this thread is both the caller and the canceller
            child.cancel();

            awaitOpen(ran, "[03.6] the function given to afterFunc did not run after cancel(): does cancel start "
                    + "it? (README 03.6)");
            assertThat(ranOn.get())
                    .as("[03.6] afterFunc must run on a thread of its own, but it ran on the thread that registered "
                        + "and cancelled: start a new (virtual) thread (README 03.6)")
                    .isNotSameAs(Thread.currentThread());
            assertThat(errSeen.get())
                    .as("[03.6] the function should run after the context is done, but it saw err() = %s "
                        + "(README 03.6)", errSeen.get())
                    .isEqualTo(ContextError.CANCELED);
            CountDownLatch quiet = new CountDownLatch(1);
            child.context().afterFunc(quiet::countDown);
            awaitOpen(quiet, "[03.6] an afterFunc registered on a done context did not run: it should run at once, "
                    + "on a thread of its own (README 03.6)");
            assertThat(runs.get()).as("[03.6] the function should run exactly once, ran %d times (README 03.6)",
                    runs.get()).isEqualTo(1);
        }

        @Test
        @DisplayName("runs when an ancestor is cancelled")
        void runsWhenAnAncestorIsCancelled() throws InterruptedException {
            Cancellable parent = Context.withCancel(Context.background());
            Context child = Context.withValue(Context.withCancel(parent.context()).context(), Key.named("k"), "v");
            CountDownLatch ran = new CountDownLatch(1);
            child.afterFunc(ran::countDown);

            parent.cancel();

            awaitOpen(ran, "[03.6] an afterFunc on a descendant should run when an ancestor is cancelled "
                    + "(README 03.6)");
        }

        @Test
        @DisplayName("on a context already done runs soon, on a thread of its own")
        void alreadyDoneRunsSoon() throws InterruptedException {
            Cancellable child = Context.withCancel(Context.background());
            child.cancel();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);

            child.context().afterFunc(() -> {
                ranOn.set(Thread.currentThread());
                ran.countDown();
            });

            awaitOpen(ran, "[03.6] afterFunc on a context that is already done should run at once (README 03.6)");
            assertThat(ranOn.get())
                    .as("[03.6] even on a done context, afterFunc must not run the function on the caller's thread "
                        + "(README 03.6)")
                    .isNotSameAs(Thread.currentThread());
        }

        @Test
        @DisplayName("stop() before done returns true, and the function never runs")
        void stopBeforeDonePreventsTheRun() throws InterruptedException {
            Cancellable child = Context.withCancel(Context.background());
            CountDownLatch stoppedOneRan = new CountDownLatch(1);
            AfterFunc stop = child.context().afterFunc(stoppedOneRan::countDown);

            assertThat(stop.stop())
                    .as("[03.6] stop() before the context is done should prevent the run and return true "
                        + "(README 03.6)")
                    .isTrue();
            assertThat(stop.stop()).as("[03.6] a second stop() prevents nothing more: false (README 03.6)")
                    .isFalse();

            child.cancel();
            CountDownLatch laterOneRan = new CountDownLatch(1);
            child.context().afterFunc(laterOneRan::countDown);
            awaitOpen(laterOneRan, "[03.6] an afterFunc registered after cancel() should run (README 03.6)");

            assertThat(stoppedOneRan.getCount())
                    .as("[03.6] a stopped function ran when the context was cancelled: stop() must prevent the run, "
                        + "and cancel must not start a stopped function (README 03.6)")
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("stop() after the function started returns false and does not wait for it")
        void stopAfterStartReturnsFalse() throws InterruptedException {
            Cancellable child = Context.withCancel(Context.background());
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            Thread testThread = Thread.currentThread();
            AfterFunc stop = child.context().afterFunc(() -> {
                started.countDown();
                if (Thread.currentThread() == testThread) { // run by cancel() itself: the test above reports that
                    finished.countDown();
                    return;
                }
                try {
                    release.await(); // until the test's cleanup: a stop() that waits for it cannot return
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            });
            Background<Boolean> stopping = null;
            try {
                child.cancel();
                awaitOpen(started, "[03.6] the function should start after cancel() (README 03.6)");

                stopping = Background.call("[03.6] stop() while the function runs", stop::stop);
                boolean prevented = awaitWatching("03.6", "stop() did not return while the function it could no "
                        + "longer prevent was still running: stop() must not wait for a started function", stopping);

                assertThat(prevented)
                        .as("[03.6] stop() after the function started cannot prevent it: it should return false "
                            + "(README 03.6)")
                        .isFalse();
            } finally {
                release.countDown();
                stop(stopping);
                finished.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Test
        @DisplayName("stop() before done leaves nothing behind in the context: 10,000 stopped functions can be "
                     + "collected while the context lives")
        void stoppedFunctionsLeaveNothing() {
            Cancellable child = Context.withCancel(Context.background());

            List<WeakReference<Runnable>> stopped = stoppedFunctions(child.context(), 10_000);
            int kept = Reachability.survivors("03.6", stopped);

            assertThat(kept)
                    .as("[03.6] 10,000 afterFuncs were registered and stopped on a context that lives on, so nothing "
                        + "should keep them, but %d of the functions were still reachable after garbage collection: "
                        + "does stop() take the function out of the context? Otherwise every stopped afterFunc leaks "
                        + "in a long-lived context (README 03.6)", kept)
                    .isZero();
            assertThat(child.context().err()).as("[03.6] nobody cancelled the context (README 03.6)").isNull();
            Reference.reachabilityFence(child);
            child.cancel();
        }

        private static List<WeakReference<Runnable>> stoppedFunctions(Context context, int count) {
            List<WeakReference<Runnable>> functions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Runnable function = new Nothing();
                functions.add(new WeakReference<>(function));
                assertThat(context.afterFunc(function).stop())
                        .as("[03.6] stop() before the context is done should return true (README 03.6)").isTrue();
            }
            return functions;
        }
    }

    @Test
    @DisplayName("stop() racing the cancel that starts the function: exactly one of them wins, every time")
    void stopRacingTheCancel() throws InterruptedException {
        List<Cancellable> contexts = new ArrayList<>();
        List<AfterFunc> stops = new ArrayList<>();
        AtomicIntegerArray runs = new AtomicIntegerArray(SpinRace.MAX_ROUNDS);
        for (int round = 0; round < SpinRace.MAX_ROUNDS; round++) {
            Cancellable context = Context.withCancel(Context.background());
            int mine = round;
            stops.add(context.context().afterFunc(() -> runs.incrementAndGet(mine)));
            contexts.add(context);
        }
        boolean[] prevented = new boolean[SpinRace.MAX_ROUNDS];
        SpinRace.Result race = SpinRace.run("03.6", "[03.6] stop() racing cancel()", (racer, round) -> {
            if (racer == 0) {
                prevented[round] = stops.get(round).stop();
            } else {
                contexts.get(round).cancel();
            }
        });
        int rounds = race.rounds();
        long shouldRun = IntStream.range(0, rounds).filter(r -> !prevented[r]).count();
        await("[03.6] the " + shouldRun + " functions that stop() did not prevent to run (README 03.6)")
                .atMost(PATIENCE).until(() -> IntStream.range(0, rounds).filter(r -> runs.get(r) > 0).count()
                                              >= shouldRun);

        long both = IntStream.range(0, rounds).filter(r -> prevented[r] && runs.get(r) > 0).count();
        long twice = IntStream.range(0, rounds).filter(r -> runs.get(r) > 1).count();
        assertThat(both + twice)
                .as("[03.6] in %d rounds (%d with both threads running at once) stop() raced the cancel that starts "
                    + "the function; in each round exactly one may win: stop() returns true and the function never "
                    + "runs, or false and it runs once. But in %d rounds both won (stop() said it prevented the run, "
                    + "and the function ran), and in %d it ran twice: a check and a set are two steps; claim the run "
                    + "with one atomic step (compare-and-set) on both sides (README 03.6)",
                        rounds, race.hotRounds(), both, twice)
                .isZero();
        contexts.forEach(Cancellable::cancel);
    }

    /**
     * Waits until {@code latch} opens (a function given to afterFunc ran); if it does not within
     * {@link workshop.support.testing.Parked#PATIENCE}, fails with {@code why}, and the extension adds what each of
     * the test's threads was doing.
     */
    private static void awaitOpen(CountDownLatch latch, String why) {
        await(why).atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(2)).until(() -> latch.getCount() == 0);
    }

    /** A function for afterFunc, a new object each time (a lambda that captures nothing may be one shared object). */
    private static final class Nothing implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    @DisplayName("cause() of a context below 100,000 value links answers without exhausting the stack")
    void causeBelowADeepChain() throws InterruptedException {
        CancellableWithCause top = Context.withCancelCause(Context.background());
        Context bottom = top.context();
        Key<Integer> depth = Key.named("depth");
        for (int i = 0; i < 100_000; i++) {
            bottom = Context.withValue(bottom, depth, i);
        }
        RuntimeException why = new RuntimeException("shutting down");
        top.cancel(why);
        Context deepest = bottom;

        Background<Object> asking = Background.call("[03.6] cause() below 100,000 value links", () -> {
            try {
                return deepest.cause();
            } catch (StackOverflowError overflow) {
                return overflow;
            }
        });
        Object answer = asking.await(PATIENCE);

        assertThat(answer)
                .as("[03.6] cause() of a context below 100,000 value links should be the cause given to the cancel "
                    + "above them, but it was %s: a call per link exhausts a Java thread's stack, whose size is fixed "
                    + "(a goroutine's stack grows). Walk up the chain with a loop (README 03.6)", answer)
                .isSameAs(why);
    }
}
