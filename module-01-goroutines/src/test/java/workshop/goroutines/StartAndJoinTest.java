package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.List;
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
}
