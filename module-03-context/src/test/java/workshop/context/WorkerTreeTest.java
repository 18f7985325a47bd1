package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;

/**
 * Tagged "leak": on the starter, stop() leaves the sub-workers running, and the leak detector's report of them is an
 * intended failure (the other tests also count the live sub-workers themselves).
 */
@Tag("03.14")
@Tag("leak")
@DisplayName("03.14 Cancel a tree of workers")
class WorkerTreeTest {

    private static final int WORKERS = 3;
    private static final int SUB_WORKERS_EACH = 4;
    private static final int LEAVES = WORKERS * SUB_WORKERS_EACH;

    /** Leaves that block until interrupted (or until the test's cleanup releases them), counting as they go. */
    private static final class Leaves {
        final Set<List<Integer>> started = ConcurrentHashMap.newKeySet();
        final CountDownLatch allStarted = new CountDownLatch(LEAVES);
        final AtomicInteger exited = new AtomicInteger();
        final CountDownLatch released = new CountDownLatch(1);

        WorkerTree.Leaf blockUntilInterrupted() {
            return (worker, subWorker) -> {
                try {
                    started.add(List.of(worker, subWorker));
                    allStarted.countDown();
                    released.await();
                } finally {
                    exited.incrementAndGet();
                }
            };
        }

        int running() {
            return started.size() - exited.get();
        }

        void awaitAllStarted() {
            await().atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(5))
                    .untilAsserted(() -> assertThat(allStarted.getCount()).as("[03.14] expected %d sub-workers "
                            + "(%d workers x %d) running at the same time, but %d had started: does every worker "
                            + "start all of its sub-workers? (README 03.14)", LEAVES, WORKERS, SUB_WORKERS_EACH,
                            started.size()).isZero());
        }

        /** The test's cleanup: lets leaves that nobody stopped end, so that one failure does not spoil the next. */
        void release() {
            released.countDown();
        }
    }

    @Test
    @DisplayName("stop() returns only after every worker and sub-worker has ended")
    void stopReturnsOnlyAfterEverySubWorkerHasEnded() {
        Leaves leaves = new Leaves();
        WorkerTree tree = WorkerTree.start(WORKERS, SUB_WORKERS_EACH, leaves.blockUntilInterrupted());
        try {
            leaves.awaitAllStarted();
            assertThat(leaves.started).as("[03.14] every worker's every sub-worker, once (README 03.14)")
                    .hasSize(LEAVES);

            tree.stop();
            int stillRunning = leaves.running();

            assertThat(stillRunning).as("[03.14] stop() returned while %d of %d sub-workers still ran: cancel the "
                    + "whole tree and wait for every thread of it; a thread started with Thread.ofVirtual().start "
                    + "has no parent that stops it (README 03.14)", stillRunning, LEAVES).isZero();
        } finally {
            leaves.release();
        }
    }

    @Test
    @DisplayName("stop() can be called again: it returns at once, the tree stays stopped")
    void stopIsIdempotent() {
        Leaves leaves = new Leaves();
        WorkerTree tree = WorkerTree.start(WORKERS, SUB_WORKERS_EACH, leaves.blockUntilInterrupted());
        try {
            leaves.awaitAllStarted();
            tree.stop();
            tree.stop();
            int stillRunning = leaves.running();

            assertThat(stillRunning).as("[03.14] after stop() twice, %d of %d sub-workers still ran: stop must "
                    + "reach the sub-workers, not only the workers (README 03.14)", stillRunning, LEAVES).isZero();
        } finally {
            leaves.release();
        }
    }

    @Test
    @DisplayName("stop() right after start() still ends every thread that the tree started")
    void stopRightAfterStart() {
        Leaves leaves = new Leaves();
        WorkerTree tree = WorkerTree.start(WORKERS, SUB_WORKERS_EACH, leaves.blockUntilInterrupted());

        tree.stop();
        int stillRunning = leaves.running();

        if (stillRunning > 0) {
            leaves.release(); // this test fails anyway: let them end, so that the failure is not also a leak
        }
        assertThat(stillRunning).as("[03.14] stop() called while the tree was still starting returned with %d "
                + "sub-workers running: a sub-worker started during stop must be stopped too (README 03.14)",
                stillRunning).isZero();
        // otherwise no release: a sub-worker that starts after stop() returned is a leak, the leak detector reports it
    }

    @Test
    @DisplayName("leaves no thread running after stop() (the leak detector checks)")
    void leavesNoThreadRunning() {
        Leaves leaves = new Leaves();
        WorkerTree tree = WorkerTree.start(WORKERS, SUB_WORKERS_EACH, leaves.blockUntilInterrupted());
        leaves.awaitAllStarted();

        tree.stop();
        // no release here: whatever still runs now is a leak, and the leak detector reports it after this test
    }
}
