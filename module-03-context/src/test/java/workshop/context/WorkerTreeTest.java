package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.isParked;
import static workshop.support.testing.Parked.stop;

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
        final AtomicInteger interrupted = new AtomicInteger();
        final AtomicInteger exited = new AtomicInteger();
        final CountDownLatch released = new CountDownLatch(1);
        /** Opened by the test: until then an interrupted leaf lingers in its clean-up (bounded: never a hang). */
        final CountDownLatch mayExit = new CountDownLatch(1);

        Leaves exitAtOnce() {
            mayExit.countDown();
            return this;
        }

        WorkerTree.Leaf blockUntilInterrupted() {
            return (worker, subWorker) -> {
                try {
                    started.add(List.of(worker, subWorker));
                    allStarted.countDown();
                    released.await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    mayExit.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    throw e;
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
            mayExit.countDown();
        }
    }

    @Test
    @DisplayName("stop() returns only after every worker and sub-worker has ended")
    void stopReturnsOnlyAfterEverySubWorkerHasEnded() {
        Leaves leaves = new Leaves().exitAtOnce();
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
        Leaves leaves = new Leaves().exitAtOnce();
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
        Leaves leaves = new Leaves().exitAtOnce();
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
        Leaves leaves = new Leaves().exitAtOnce();
        WorkerTree tree = WorkerTree.start(WORKERS, SUB_WORKERS_EACH, leaves.blockUntilInterrupted());
        leaves.awaitAllStarted();

        tree.stop();
        // no release here: whatever still runs now is a leak, and the leak detector reports it after this test
    }

    @Test
    @DisplayName("stop() on an interrupted thread still waits until every sub-worker has ended, and returns with the "
                 + "interrupt status set")
    void stopOnAnInterruptedThreadStillWaits() throws InterruptedException {
        Leaves leaves = new Leaves(); // interrupted leaves linger in their clean-up until the test lets them exit
        WorkerTree tree = WorkerTree.start(WORKERS, SUB_WORKERS_EACH, leaves.blockUntilInterrupted());
        Background<Boolean> stopping = null;
        try {
            leaves.awaitAllStarted();
            stopping = Background.call("[03.14] stop() on an interrupted thread", () -> {
                Thread.currentThread().interrupt(); // interrupted before it waits: the wait cannot end that way
                tree.stop();
                return Thread.currentThread().isInterrupted();
            });
            Background<Boolean> stopper = stopping;
            await("[03.14] every sub-worker to be interrupted by stop() (README 03.14)").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .failFast(() -> {
                        stopper.rethrowIfFailed();
                        if (stopper.isDone()) {
                            throw new AssertionError("[03.14] stop() on an interrupted thread returned while "
                                    + leaves.running() + " of " + LEAVES + " sub-workers still ran, "
                                    + leaves.interrupted.get() + " of them interrupted: "
                                    + (leaves.interrupted.get() == 0 ? "stop must reach the sub-workers (before it "
                                       + "even got to them, stop() had returned: an interrupt of the thread that calls "
                                       + "stop() must not end its wait either)"
                                    : "an interrupt of the thread that calls stop() must not end its wait; keep "
                                      + "waiting, and set the interrupt status again when everything has ended")
                                    + " (README 03.14)");
                        }
                        return false;
                    })
                    .until(() -> leaves.interrupted.get() == LEAVES);
            awaitParked(stopping, "03.14", "stop() on an interrupted thread returned while the " + LEAVES
                    + " interrupted sub-workers still ran (busy cleaning up): an interrupt of the thread that calls "
                    + "stop() must not end its wait");

            stopping.thread().interrupt(); // once more, while it waits: the second interrupt must not end it either

            await("[03.14] stop() to take the second interrupt and wait on (README 03.14)").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> stopper.isDone()
                                 || !stopper.thread().isInterrupted() && isParked(stopper.thread()));
            assertThat(stopping.isDone()).as("[03.14] stop() waited on after the first interrupt, but returned on "
                    + "the second while %d of %d sub-workers still ran: wait in a loop, as often as it is "
                    + "interrupted, until the tree has ended (README 03.14)", leaves.running(), LEAVES).isFalse();
            leaves.mayExit.countDown();
            boolean flagAfterStop = awaitWatching("03.14", "stop() did not return after every sub-worker had ended",
                    stopping);

            assertThat(leaves.running()).as("[03.14] stop() returned while %d sub-workers still ran (README 03.14)",
                    leaves.running()).isZero();
            assertThat(flagAfterStop).as("[03.14] stop() was called on an interrupted thread and did not throw, so it "
                    + "should return with the interrupt status still set, but it was clear: set it again "
                    + "(Thread.currentThread().interrupt()) after the wait that consumed it (README 03.14)").isTrue();
        } finally {
            leaves.release();
            stop(stopping);
        }
    }
}
