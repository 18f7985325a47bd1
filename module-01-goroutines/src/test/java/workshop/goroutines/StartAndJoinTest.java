package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("01.1")
@DisplayName("01.1 Start and join virtual threads")
class StartAndJoinTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    @Test
    @DisplayName("runs every task at the same time")
    void runsEveryTaskAtTheSameTime() throws InterruptedException {
        TaskProbe probe = new TaskProbe();
        Background<Void> call = Background.run("[01.1] runAll", () -> StartAndJoin.runAll(probe.tasks(4)));
        try {
            await("4 tasks in flight at once").atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
                call.rethrowIfFailed();
                assertThat(probe.maxInFlight())
                        .as("[01.1] tasks in flight at once: expected 4, saw %d. Do you wait for each thread right "
                            + "after starting it? Start them all, then wait (README 01.1)", probe.maxInFlight())
                        .isEqualTo(4);
            });
        } finally {
            probe.release();
            call.join(PATIENCE);
        }
        call.await(PATIENCE);
    }

    @Test
    @DisplayName("runs each task on its own virtual thread")
    void runsEachTaskOnItsOwnVirtualThread() throws InterruptedException {
        TaskProbe probe = new TaskProbe();
        probe.release();

        StartAndJoin.runAll(probe.tasks(8));

        assertThat(probe.threads())
                .as("[01.1] threads that ran the 8 tasks: expected 8 different ones, one per task")
                .hasSize(8)
                .as("[01.1] every task should run on a virtual thread (Thread.ofVirtual()), like a goroutine")
                .allMatch(Thread::isVirtual);
    }

    @Test
    @DisplayName("returns only after every task has finished")
    void returnsOnlyAfterEveryTaskHasFinished() throws InterruptedException {
        TaskProbe probe = new TaskProbe();
        AtomicInteger finishedWhenReturned = new AtomicInteger(-1);
        Background<Void> call = Background.run("[01.1] runAll", () -> {
            StartAndJoin.runAll(probe.tasks(3));
            finishedWhenReturned.set(probe.finished());
        });
        try {
            await("3 tasks started").atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
                call.rethrowIfFailed();
                assertThat(probe.maxInFlight()).as("[01.1] tasks started").isEqualTo(3);
            });
            assertThat(call.isDone())
                    .as("[01.1] runAll returned while its tasks were still running: wait for every thread (join)")
                    .isFalse();
            Polling.assertWaitsWithoutPolling(call.thread(), "01.1", "runAll");
        } finally {
            probe.release();
            call.join(PATIENCE);
        }
        call.await(PATIENCE);
        assertThat(finishedWhenReturned.get())
                .as("[01.1] tasks finished when runAll returned: expected all 3")
                .isEqualTo(3);
    }

    @Test
    @DisplayName("returns at once when there is nothing to run")
    void returnsAtOnceWhenThereIsNothingToRun() throws InterruptedException {
        Background<Void> call = Background.run("[01.1] runAll of no tasks", () -> StartAndJoin.runAll(List.of()));
        call.await(PATIENCE);
        assertThat(call.isDone()).as("[01.1] runAll of no tasks returned").isTrue();
    }

    @Nested
    @DisplayName("when the caller is interrupted while it waits")
    class WhenTheCallerIsInterrupted {

        /** How runAll ended: how, how many tasks had finished by then, and the caller's interrupt status. */
        record Outcome(String how, int finished, boolean interruptStatus) {
        }

        @Test
        @DisplayName("interrupts every task, and returns or throws only once all have finished")
        void interruptsEveryTaskAndEndsOnlyOnceAllHaveFinished() throws InterruptedException {
            int n = 3;
            CountDownLatch never = new CountDownLatch(1); // the tasks wait for it: only an interrupt ends their wait
            CountDownLatch mayFinish = new CountDownLatch(1); // once interrupted, a task ends when the test says so
            AtomicInteger started = new AtomicInteger();
            AtomicInteger interrupted = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            Runnable task = () -> {
                started.incrementAndGet();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
                awaitUninterruptibly(mayFinish);
                finished.incrementAndGet();
            };
            Background<Outcome> call = Background.call("[01.1] interrupted runAll", () -> {
                try {
                    StartAndJoin.runAll(Collections.nCopies(n, task));
                    return new Outcome("returned", finished.get(), Thread.currentThread().isInterrupted());
                } catch (InterruptedException e) {
                    return new Outcome("threw InterruptedException", finished.get(), true);
                }
            });
            try {
                await("[01.1] 3 tasks started").atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
                    call.rethrowIfFailed();
                    assertThat(started.get()).as("[01.1] tasks started").isEqualTo(n);
                });
                call.thread().interrupt();

                await("[01.1] every task interrupted").atMost(PATIENCE).pollInterval(Duration.ofMillis(5))
                        .failFast("[01.1] runAll ended right after the caller was interrupted, while its tasks were still "
                                + "running: a call must not return, nor throw, while a thread it started still runs. "
                                + "Interrupt the tasks, then wait for them (README 01.1)", call::isDone)
                        .untilAsserted(() -> assertThat(interrupted.get())
                                .as("[01.1] tasks interrupted after the caller of runAll was: expected all %d, saw %d. "
                                    + "When the caller gives up, runAll should interrupt every task's thread, as "
                                    + "StructuredTaskScope does when its owner is interrupted (README 01.1)",
                                    n, interrupted.get())
                                .isEqualTo(n));
                assertThat(call.isDone())
                        .as("[01.1] runAll ended after interrupting its tasks but before they had finished: wait for "
                            + "them after the interrupt too (README 01.1)")
                        .isFalse();
                mayFinish.countDown();

                Outcome outcome = call.await(PATIENCE);
                assertThat(outcome.finished())
                        .as("[01.1] tasks finished when the interrupted runAll ended: expected all %d", n)
                        .isEqualTo(n);
                assertThat(outcome.interruptStatus())
                        .as("[01.1] the interrupted runAll returned normally and the caller's interrupt status was "
                            + "cleared: throw InterruptedException, or at least keep the status set, so that the "
                            + "caller learns it was interrupted (README 01.1)")
                        .isTrue();
            } finally {
                mayFinish.countDown();
                never.countDown();
                call.join(PATIENCE);
            }
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
