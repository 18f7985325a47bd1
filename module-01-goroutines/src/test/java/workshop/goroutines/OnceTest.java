package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.memory.SharedStateReads;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

@Tag("01.4")
@DisplayName("01.4 Once with Go's semantics")
class OnceTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    private final Once once = new Once();
    private final AtomicInteger runs = new AtomicInteger();

    /** An action that signals it has started, then waits until the test lets it finish. */
    private static final class HeldAction implements Runnable {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        final RuntimeException failure;
        int effect; // plain field: Once's happens-before edge must make it visible

        HeldAction(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void run() {
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            effect = 42;
            if (failure != null) {
                throw failure;
            }
        }

        void awaitStarted(Background<?> caller) {
            await("the action to start").atMost(PATIENCE).pollInterval(Duration.ofMillis(2)).untilAsserted(() -> {
                caller.rethrowIfFailed();
                assertThat(started.getCount()).as("[01.4] the first caller's action has started").isZero();
            });
        }
    }

    /** Waits until the second caller has either returned or blocked, then says which. */
    private static void assertStillWaiting(Background<?> second) {
        await("the second caller to block or return").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .untilAsserted(() -> {
                    Thread.State state = second.thread().getState();
                    assertThat(second.isDone() || state == Thread.State.BLOCKED || state == Thread.State.WAITING)
                            .as("[01.4] the second caller was %s while the first caller's action ran: it should block "
                                + "(BLOCKED or WAITING) until the action has finished, not %s (README 01.4)", state,
                                state == Thread.State.TIMED_WAITING ? "sleep or poll in a loop" : "spin")
                            .isTrue();
                });
        second.rethrowIfFailed();
        assertThat(second.isDone())
                .as("[01.4] a second caller returned while the first caller's action was still running. Go's Once makes "
                    + "every caller wait until the action has finished (README 01.4)")
                .isFalse();
    }

    @Nested
    @DisplayName("called one after another")
    class CalledOneAfterAnother {

        @Test
        @DisplayName("runs the first action and no other")
        void runsTheFirstActionAndNoOther() {
            once.run(runs::incrementAndGet);
            once.run(runs::incrementAndGet);
            once.run(() -> runs.addAndGet(100));

            assertThat(runs.get()).as("[01.4] actions run by three calls: expected only the first").isEqualTo(1);
        }

        @Test
        @DisplayName("counts an action that throws as done, and lets its exception through")
        void countsAThrowingActionAsDone() {
            assertThat(catchThrowable(() -> once.run(() -> {
                throw new IllegalStateException("boom");
            })))
                    .as("[01.4] the caller that ran the action should get its exception")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("boom");

            once.run(runs::incrementAndGet);

            assertThat(runs.get())
                    .as("[01.4] after an action threw, a later call ran its own: Go counts a panicking f as done")
                    .isZero();
        }
    }

    @Nested
    @DisplayName("called from inside its own action")
    class CalledFromInsideItsOwnAction {

        @Test
        @DisplayName("throws IllegalStateException at once, instead of running a second action or waiting for itself")
        void throwsInsteadOfRunningASecondActionOrWaitingForItself() throws InterruptedException {
            Background<Throwable> call = Background.call("[01.4] run() whose action calls run() again", () ->
                    catchThrowable(() -> once.run(() -> once.run(runs::incrementAndGet))));

            Throwable thrown = Parked.awaitWatching("01.4", "a run() called from inside its own action should throw "
                    + "IllegalStateException at once; it waits, for the action that called it: a deadlock, as in Go",
                    call);

            if (thrown instanceof NotSolvedYet notYet) {
                throw notYet;
            }
            assertThat(runs.get())
                    .as("[01.4] the nested run() ran its action while the first action was still running: a Once runs "
                        + "at most one action (README 01.4)")
                    .isZero();
            assertThat(thrown)
                    .as("[01.4] a run() called from inside its own action should throw IllegalStateException, which "
                        + "reaches the caller of the outer run() unless the action catches it (README 01.4)")
                    .isInstanceOf(IllegalStateException.class);
            once.run(runs::incrementAndGet);
            assertThat(runs.get()).as("[01.4] after that, the Once counts as done: a later action must not run").isZero();
        }
    }

    @Nested
    @DisplayName("called by many threads at once")
    class CalledByManyThreadsAtOnce {

        @Test
        @DisplayName("runs the action exactly once")
        void runsTheActionExactlyOnce() throws InterruptedException, ExecutionException {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> calls = new ArrayList<>();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 16; i++) {
                    calls.add(callers.submit(() -> {
                        go.await();
                        once.run(runs::incrementAndGet);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> call : calls) {
                    call.get();
                }
            }
            assertThat(runs.get()).as("[01.4] actions run by 16 racing callers: expected exactly 1").isEqualTo(1);
        }

        @Test
        @DisplayName("makes a caller that arrives while the action runs wait for it, and see what it did")
        void makesALateCallerWait() throws InterruptedException {
            HeldAction action = new HeldAction(null);
            Background<Void> first = Background.run("[01.4] first caller", () -> once.run(action));
            Background<Integer> second = null;
            try {
                action.awaitStarted(first);
                second = Background.call("[01.4] second caller", () -> {
                    once.run(runs::incrementAndGet);
                    return action.effect;
                });
                assertStillWaiting(second);
                action.finish.countDown();

                assertThat(second.await(PATIENCE))
                        .as("[01.4] the second caller should see what the action did once run returns")
                        .isEqualTo(42);
                first.await(PATIENCE);
                assertThat(runs.get()).as("[01.4] the second caller's action must not run").isZero();
            } finally {
                action.finish.countDown();
                first.join(PATIENCE);
                if (second != null) {
                    second.join(PATIENCE);
                }
            }
        }

        @Test
        @DisplayName("keeps a waiting caller waiting when it is interrupted, and returns with its interrupt status set")
        void keepsAnInterruptedCallerWaiting() throws InterruptedException {
            HeldAction action = new HeldAction(null);
            Background<Void> first = Background.run("[01.4] first caller", () -> once.run(action));
            Background<Boolean> second = null;
            try {
                action.awaitStarted(first);
                second = Background.call("[01.4] interrupted second caller", () -> {
                    once.run(runs::incrementAndGet);
                    return Thread.currentThread().isInterrupted();
                });
                assertStillWaiting(second);
                second.thread().interrupt();
                assertStillWaiting(second);
                action.finish.countDown();

                assertThat(second.await(PATIENCE))
                        .as("[01.4] an interrupted caller returned from run() with its interrupt status cleared: "
                            + "whoever catches an InterruptedException it does not answer must restore the status "
                            + "(Thread.currentThread().interrupt()), or the caller's own code never learns of it (README 01.4)")
                        .isTrue();
                first.await(PATIENCE);
                assertThat(runs.get()).as("[01.4] the second caller's action must not run").isZero();
            } finally {
                action.finish.countDown();
                first.join(PATIENCE);
                if (second != null) {
                    second.join(PATIENCE);
                }
            }
        }

        @Test
        @DisplayName("releases the waiting callers when the action throws, without passing them the exception")
        void releasesWaitersWhenTheActionThrows() throws InterruptedException {
            HeldAction action = new HeldAction(new IllegalStateException("boom"));
            Background<Void> first = Background.run("[01.4] first caller", () -> once.run(action));
            Background<Void> second = null;
            try {
                action.awaitStarted(first);
                second = Background.run("[01.4] second caller", () -> once.run(runs::incrementAndGet));
                assertStillWaiting(second);
                action.finish.countDown();

                second.await(PATIENCE);
                assertThat(catchThrowable(() -> first.await(PATIENCE)))
                        .as("[01.4] the first caller should get the action's exception")
                        .hasMessage("boom");
                assertThat(runs.get()).as("[01.4] the second caller's action must not run").isZero();
            } finally {
                action.finish.countDown();
                first.join(PATIENCE);
                if (second != null) {
                    second.join(PATIENCE);
                }
            }
        }
    }

    @Test
    @DisplayName("gives a caller that returns at once, after the action, everything the action did")
    void givesACallerThatReturnsAtOnceEverythingTheActionDid() {
        once.run(runs::incrementAndGet); // not solved yet? this says so

        var unsafe = SharedStateReads.of(Once.class, new Once(), null);

        assertThat(unsafe)
                .as("[01.4] Once reads its state where the action's end need not be visible (Java memory model: a "
                    + "caller that returns at once after such a read has no happens-before edge from the action, so it "
                    + "may see the action's effects half done):%n%s%nRead the flag under the lock, or make it volatile "
                    + "and set it after the action (README 01.4)",
                    unsafe.stream().map(read -> "  - " + read).collect(Collectors.joining("\n")))
                .isEmpty();
    }
}
