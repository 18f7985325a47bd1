package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("01.2")
@DisplayName("01.2 A million blocking tasks")
class MillionTasksTest {

    private static final int MILLION = 1_000_000;

    /**
     * Blocks until all n copies are blocked at once; the last one to arrive lets them all go. Parked threads are
     * woken one by one by a single loop: a latch would wake them in a chain, each waking the next, which is slow.
     */
    private static final class AllBlockAtOnce implements Runnable {
        final int n;
        final AtomicInteger blocked = new AtomicInteger();
        final AtomicInteger onPlatformThreads = new AtomicInteger();
        final Queue<Thread> parked = new ConcurrentLinkedQueue<>();
        volatile boolean open;

        AllBlockAtOnce(int n) {
            this.n = n;
        }

        @Override
        public void run() {
            if (!Thread.currentThread().isVirtual()) {
                onPlatformThreads.incrementAndGet();
                return; // never block a platform thread here: a million of them would take the machine down
            }
            parked.add(Thread.currentThread()); // before looking at open, so that release() cannot miss this thread
            if (blocked.incrementAndGet() == n) {
                release();
                return;
            }
            while (!open && !Thread.currentThread().isInterrupted()) {
                LockSupport.park(this);
            }
        }

        void release() {
            open = true;
            for (Thread thread; (thread = parked.poll()) != null; ) {
                LockSupport.unpark(thread);
            }
        }
    }

    @Test
    @TimeLimit(seconds = 240)
    @DisplayName("carries a million tasks that all block at the same time")
    void carriesAMillionTasksThatAllBlockAtTheSameTime() throws InterruptedException {
        AllBlockAtOnce task = new AllBlockAtOnce(MILLION);
        Background<Void> call = Background.run("[01.2] runConcurrently", () -> MillionTasks.runConcurrently(MILLION, task));
        try {
            await("a million tasks blocked at once").atMost(Patience.seconds(90)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> {
                        call.rethrowIfFailed();
                        assertThat(task.onPlatformThreads.get())
                                .as("[01.2] tasks that ran on platform threads: a million blocked platform threads "
                                    + "would need a million OS threads. Use threads that are cheap to park (README 01.2)")
                                .isZero();
                        assertThat(task.blocked.get())
                                .as("[01.2] tasks blocked at the same time: expected %,d, saw %,d. A pool carries only "
                                    + "as many blocked tasks as it has threads (README 01.2)", MILLION, task.blocked.get())
                                .isEqualTo(MILLION);
                    });
        } finally {
            task.release();
            call.join(Patience.seconds(120));
        }
        call.await(Patience.seconds(1));
    }

    @Test
    @TimeLimit(seconds = 60)
    @DisplayName("returns only after every task has finished")
    void returnsOnlyAfterEveryTaskHasFinished() throws InterruptedException {
        AtomicInteger finished = new AtomicInteger();
        AllBlockAtOnce blocking = new AllBlockAtOnce(1_000);
        Background<Void> call = Background.run("[01.2] runConcurrently", () -> MillionTasks.runConcurrently(1_000, () -> {
            blocking.run();
            finished.incrementAndGet();
        }));
        call.await(Patience.seconds(30));
        assertThat(finished.get())
                .as("[01.2] tasks finished when runConcurrently returned: expected all 1,000")
                .isEqualTo(1_000);
    }
}
