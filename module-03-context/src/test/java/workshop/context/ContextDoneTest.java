package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.rethrowFailures;
import static workshop.support.testing.Parked.stop;

@Tag("03.4")
@DisplayName("03.4 Context: the done signal")
class ContextDoneTest {

    private static final Duration BRIEFLY = Duration.ofMillis(20);
    private static final String AWAIT_DONE_SHOULD = "Block on something that the cancel completes, and nothing "
            + "else";

    @Test
    @DisplayName("the done signal of background() never completes")
    void backgroundNeverSignals() throws InterruptedException {
        Context background = Context.background();

        assertThat(background.done().toCompletableFuture().isDone())
                .as("[03.4] background() is never done, so done() should not be complete (README 03.4)")
                .isFalse();
        assertThat(awaitDoneBriefly(background))
                .as("[03.4] awaitDone(20 ms) on background() should time out and return false (README 03.4)")
                .isFalse();
    }

    @Test
    @DisplayName("done() completes when the context is cancelled, not before")
    void doneCompletesOnCancel() {
        Cancellable child = Context.withCancel(Context.background());
        CompletableFuture<Void> before = child.context().done().toCompletableFuture();

        assertThat(before.isDone())
                .as("[03.4] done() of a context nobody cancelled should not be complete (README 03.4)")
                .isFalse();

        child.cancel();

        assertThat(before.isDone())
                .as("[03.4] a done() stage taken before cancel() should complete when cancel() returns, but it did "
                    + "not: does cancel complete the signal that earlier callers hold? (README 03.4)")
                .isTrue();
        assertThat(child.context().done().toCompletableFuture().isDone())
                .as("[03.4] done() taken after cancel() should be complete already (README 03.4)")
                .isTrue();
    }

    @Test
    @DisplayName("a descendant's done() completes when an ancestor is cancelled")
    void descendantSignalCompletes() {
        Cancellable parent = Context.withCancel(Context.background());
        Context grandchild = Context.withCancel(Context.withCancel(parent.context()).context()).context();
        CompletableFuture<Void> signal = grandchild.done().toCompletableFuture();

        parent.cancel();

        assertThat(signal.isDone())
                .as("[03.4] the grandchild's done() should complete when its grandparent is cancelled (README 03.4)")
                .isTrue();
    }

    @Test
    @DisplayName("done() of a deadline context completes when the timer fires")
    void doneCompletesAtTheDeadline() {
        FakeTimer timer = new FakeTimer();
        Cancellable child = Context.withTimeout(Context.background(timer), Duration.ofSeconds(1));
        CompletableFuture<Void> signal = child.context().done().toCompletableFuture();

        timer.advance(Duration.ofSeconds(1));

        assertThat(signal.isDone())
                .as("[03.4] the deadline passed, so done() should be complete: does every way of becoming done "
                    + "complete the signal? (README 03.4)")
                .isTrue();
    }

    @Test
    @DisplayName("a caller cannot complete done(): it is a view")
    void callersCannotCompleteTheSignal() throws InterruptedException {
        Context context = Context.withCancel(Context.background()).context();

        tryToComplete(() -> context.done().toCompletableFuture().complete(null));
        if (context.done() instanceof CompletableFuture<Void> future) {
            tryToComplete(() -> future.complete(null));
        }

        assertThat(context.err())
                .as("[03.4] completing done() from outside must not make the context done (README 03.4)")
                .isNull();
        assertThat(context.done().toCompletableFuture().isDone())
                .as("[03.4] a caller completed done().toCompletableFuture(), and now done() says the context is "
                    + "done although nobody cancelled it: hand out a view that callers cannot complete (README 03.4)")
                .isFalse();
        assertThat(awaitDoneBriefly(context))
                .as("[03.4] a caller completed done(), and awaitDone() believed it: only cancellation may end the "
                    + "wait (README 03.4)")
                .isFalse();
    }

    @Test
    @DisplayName("done() combines with other events: anyOf(done, reply) completes on cancel")
    void doneCombines() {
        Cancellable child = Context.withCancel(Context.background());
        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture<Object> first = CompletableFuture.anyOf(child.context().done().toCompletableFuture(), reply);

        child.cancel();

        assertThat(first.isDone())
                .as("[03.4] anyOf(ctx.done(), reply) should complete when the context is cancelled (README 03.4)")
                .isTrue();
        assertThat(reply.isDone()).as("[03.4] the reply never came").isFalse();
    }

    @Test
    @DisplayName("asking a long-lived context for done() again and again keeps nothing per call")
    void doneKeepsNothingPerCall() {
        Cancellable longLived = Context.withCancel(Context.background());

        List<WeakReference<CompletionStage<Void>>> stages = distinctDoneStages(longLived.context(), 1_000);
        int kept = Reachability.survivors("03.4", stages);

        assertThat(kept)
                .as("[03.4] done() was called 1,000 times on a context that lives on, and the callers dropped what "
                    + "it returned, but %d different stages were still reachable after garbage collection: each call "
                    + "leaves something behind in the context (a new minimalCompletionStage() or copy() registers "
                    + "itself with the future it views, until that completes). Make the view once per context, and "
                    + "hand out that one (README 03.4)", kept)
                .isLessThanOrEqualTo(1);
        Reference.reachabilityFence(longLived);
        longLived.cancel();
    }

    /** Weak references to the distinct stages that {@code count} calls of done() returned. */
    private static List<WeakReference<CompletionStage<Void>>> distinctDoneStages(Context context, int count) {
        Set<CompletionStage<Void>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<WeakReference<CompletionStage<Void>>> stages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompletionStage<Void> stage = context.done();
            if (seen.add(stage)) {
                stages.add(new WeakReference<>(stage));
            }
        }
        return stages;
    }

    @Test
    @DisplayName("two threads asking a new context for done() at the same instant, or one asking while the other "
                 + "cancels, get stages that complete")
    void firstCallsOfDoneRace() throws InterruptedException {
        List<Cancellable> contexts = new ArrayList<>();
        for (int round = 0; round < SpinRace.MAX_ROUNDS; round++) {
            contexts.add(Context.withCancel(Context.background()));
        }
        CompletableFuture<?>[][] stages = new CompletableFuture<?>[SpinRace.MAX_ROUNDS][2];
        SpinRace.Result race = SpinRace.run("03.4", "[03.4] done() racing done() or cancel()", (racer, round) -> {
            Cancellable context = contexts.get(round);
            if (racer == 1 && round % 2 == 1) {
                context.cancel();
            } else {
                stages[round][racer] = context.context().done().toCompletableFuture();
            }
        });
        contexts.forEach(Cancellable::cancel); // every context is done now: every stage must complete

        long incomplete = Arrays.stream(stages).flatMap(Arrays::stream)
                .filter(stage -> stage != null && !stage.isDone()).count();
        assertThat(incomplete)
                .as("[03.4] in %d rounds (%d of them with both threads running at once) two threads called done() "
                    + "on a new context at the same instant, or one called done() while the other cancelled it; "
                    + "every context has been cancelled since, so every stage should be complete, but %d were not: "
                    + "was the signal created twice by two threads that each found none yet, or created after the "
                    + "cancel had looked for it? Create it under the context's lock, already complete if the "
                    + "context is done (README 03.4)", race.rounds(), race.hotRounds(), incomplete)
                .isZero();
    }

    @Nested
    @TimeLimit(seconds = 20) // room for a waiter that fails to park (5 s) and then ignores interruption (5 s)
    @DisplayName("awaitDone()")
    class AwaitDone {

        @Test
        @DisplayName("parks the waiter until cancel, then returns CANCELED")
        void wakesAParkedWaiter() throws InterruptedException {
            Cancellable child = Context.withCancel(Context.background());
            Background<ContextError> waiter = Background.call("[03.4] awaitDone()", child.context()::awaitDone);
            try {
                Waiting.awaitWaiting(waiter, "03.4", "awaitDone() returned although nobody cancelled the context",
                        AWAIT_DONE_SHOULD);
                Context.withCancel(child.context()).cancel(); // a child comes and goes: the context is not done
                await("[03.4] the waiter to keep waiting while a child of its context comes and goes")
                        .during(Duration.ofMillis(50)).atMost(PATIENCE)
                        .failFast("[03.4] awaitDone() returned when a child of the context was cancelled, although "
                                  + "the context itself was not: does the wait wake on every change and return "
                                  + "without looking again? Wait in a loop until the context is done (README 03.4)",
                                waiter::isDone)
                        .until(() -> !waiter.isDone());

                child.cancel();

                assertThat(waiter.await(PATIENCE))
                        .as("[03.4] the waiter should wake on cancel() and return CANCELED (README 03.4)")
                        .isEqualTo(ContextError.CANCELED);
            } finally {
                stop(waiter);
            }
        }

        @Test
        @DisplayName("answers interruption with InterruptedException and leaves the context alone")
        void answersInterruption() throws InterruptedException {
            Cancellable child = Context.withCancel(Context.background());
            Background<ContextError> waiter = Background.call("[03.4] awaitDone()", child.context()::awaitDone);
            try {
                Waiting.awaitWaiting(waiter, "03.4", "awaitDone() returned although nobody cancelled the context",
                        AWAIT_DONE_SHOULD);

                waiter.thread().interrupt();

                await("[03.4] an interrupted awaitDone() to return: does the wait answer interruption? (README 03.4)")
                        .atMost(PATIENCE).until(waiter::isDone);
                assertThat(catchFailure(waiter))
                        .as("[03.4] an interrupted awaitDone() should throw InterruptedException (README 03.4)")
                        .isInstanceOf(InterruptedException.class);
                assertThat(child.context().err())
                        .as("[03.4] interrupting a waiter must not cancel the context, but err() was %s "
                            + "(README 03.4)", child.context().err())
                        .isNull();
            } finally {
                stop(waiter);
            }
        }

        @Test
        @DisplayName("with a time-out: false when the time is up, true when done")
        void withATimeout() throws InterruptedException {
            Cancellable child = Context.withCancel(Context.background());

            assertThat(awaitDoneBriefly(child.context()))
                    .as("[03.4] awaitDone(20 ms) on a context nobody cancels should return false (README 03.4)")
                    .isFalse();

            Background<Boolean> waiter = Background.call("[03.4] awaitDone(1 min)",
                    () -> child.context().awaitDone(Duration.ofMinutes(1)));
            try {
                awaitParked(waiter, "03.4", "awaitDone(1 min) returned although nobody cancelled the context");
                child.cancel();
                assertThat(waiter.await(PATIENCE))
                        .as("[03.4] awaitDone(1 min) should return true as soon as the context is cancelled "
                            + "(README 03.4)")
                        .isTrue();
            } finally {
                stop(waiter);
            }
            assertThat(awaitDoneWithin(child.context(), Duration.ZERO))
                    .as("[03.4] awaitDone(0) on a done context should return true at once (README 03.4)")
                    .isTrue();
        }

        @Test
        @DisplayName("one cancel wakes 100 waiting virtual threads")
        void oneCancelWakesEveryWaiter() throws Exception {
            Cancellable child = Context.withCancel(Context.background());
            List<Thread> waiting = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Future<ContextError>> waiters = new ArrayList<>();
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            try {
                for (int i = 0; i < 100; i++) {
                    waiters.add(pool.submit(() -> {
                        waiting.add(Thread.currentThread());
                        return child.context().awaitDone();
                    }));
                }
                await("[03.4] 100 virtual threads to start awaitDone() (README 03.4)").atMost(PATIENCE)
                        .until(() -> {
                            rethrowFailures(waiters);
                            return waiting.size() == 100;
                        });
                Waiting.awaitAllWaiting(List.copyOf(waiting), "03.4", "awaitDone() returned although nobody "
                        + "cancelled the context", AWAIT_DONE_SHOULD, null);

                child.cancel();

                await("[03.4] all 100 waiters to wake on one cancel(): does cancel wake every waiter, not just "
                      + "one? (README 03.4)").atMost(PATIENCE).until(() -> {
                          rethrowFailures(waiters);
                          return waiters.stream().allMatch(Future::isDone);
                      });
                assertThat(waiters).as("[03.4] every waiter should return CANCELED (README 03.4)")
                        .allSatisfy(w -> assertThat(w.resultNow()).isEqualTo(ContextError.CANCELED));
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** awaitDone(20 ms) on a thread of its own: a wait that ignores its time-out fails here instead of hanging. */
    private static boolean awaitDoneBriefly(Context context) throws InterruptedException {
        return awaitDoneWithin(context, BRIEFLY);
    }

    private static boolean awaitDoneWithin(Context context, Duration timeout) throws InterruptedException {
        Background<Boolean> call = Background.call("[03.4] awaitDone(" + timeout.toMillis() + " ms) should return "
                + "within its time-out: does the wait give up when the time is up? (README 03.4)",
                () -> context.awaitDone(timeout));
        try {
            return call.await(PATIENCE);
        } finally {
            stop(call);
        }
    }

    /** Refusing is a fine answer too: a view may throw UnsupportedOperationException. */
    private static void tryToComplete(Runnable completion) {
        try {
            completion.run();
        } catch (UnsupportedOperationException refused) {
            // the stage refused to be completed from outside: as good as ignoring it
        }
    }

    private static Throwable catchFailure(Background<?> call) throws InterruptedException {
        try {
            call.await(PATIENCE);
            return null;
        } catch (Background.CallFailed failed) {
            return failed.getCause();
        } catch (RuntimeException | Error other) {
            return other;
        }
    }
}
