package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The tests watch the tasks with their own loop rather than Awaitility, and end only once every virtual thread the
 * tasks ran on has ended: on JDK 25.0.3 a thread dump (which the leak detector takes after each test) taken while
 * many virtual threads start and end can crash the JVM (README 01.2, lab/jdk-bug).
 */
@Tag("01.2")
@DisplayName("01.2 A hundred thousand blocking tasks")
class BlockingTasksTest {

    private static final int TASKS = 100_000;

    /** How long the count of blocked tasks may stand still, below the goal, before the test calls it stuck. */
    private static final Duration STALL = Patience.seconds(5);

    /**
     * Blocks until all n copies are blocked at once; the last one to arrive lets them all go. Parked threads are
     * woken one by one by a single loop: a latch would wake them in a chain, each waking the next, which is slow.
     * Counts what the test needs itself: copies that entered, that ran on platform threads, that ended, and the
     * threads they ran on.
     */
    private static final class AllBlockAtOnce implements Runnable {
        final int n;
        final AtomicInteger blocked = new AtomicInteger();
        final AtomicInteger onPlatformThreads = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final Queue<Thread> parked = new ConcurrentLinkedQueue<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final boolean answersInterrupts;
        volatile boolean open;

        AllBlockAtOnce(int n) {
            this(n, true);
        }

        /** @param answersInterrupts whether an interrupt ends a copy's wait (else only {@link #release()} does) */
        AllBlockAtOnce(int n, boolean answersInterrupts) {
            this.n = n;
            this.answersInterrupts = answersInterrupts;
        }

        @Override
        public void run() {
            Thread me = Thread.currentThread();
            threads.add(me);
            try {
                if (!me.isVirtual()) {
                    onPlatformThreads.incrementAndGet();
                    return; // never block a platform thread here: 100,000 of them would take the machine down
                }
                parked.add(me); // before looking at open, so that release() cannot miss this thread
                if (blocked.incrementAndGet() == n) {
                    release();
                    return;
                }
                while (!open && !(answersInterrupts && me.isInterrupted())) {
                    LockSupport.park(this);
                }
            } finally {
                ended.incrementAndGet();
            }
        }

        void release() {
            open = true;
            for (Thread thread; (thread = parked.poll()) != null; ) {
                LockSupport.unpark(thread);
            }
        }

        /**
         * Lets every copy go and waits (at most {@code limit}) until the call has ended, all {@code expected} copies
         * have ended and every virtual thread the copies ran on has ended: nothing of this test keeps running after
         * it, whatever the code under test did.
         */
        void releaseAndWaitForTheEnd(Background<?> call, int expected, Duration limit) throws InterruptedException {
            release();
            long deadline = System.nanoTime() + limit.toNanos();
            int lastEnded = -1;
            long quietSince = System.nanoTime();
            while (System.nanoTime() - deadline < 0) {
                int nowEnded = ended.get();
                if (nowEnded != lastEnded) {
                    lastEnded = nowEnded;
                    quietSince = System.nanoTime();
                }
                boolean allRan = nowEnded >= expected;
                boolean noMoreComing = System.nanoTime() - quietSince > Duration.ofSeconds(1).toNanos();
                if (call.isDone() && nowEnded >= threads.size() && (allRan || noMoreComing)) {
                    break; // a call that dropped copies: none has ended for a second after it returned
                }
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                release(); // copies that arrived after the first release: open is set, they do not park
            }
            for (Thread thread : threads) {
                long left = deadline - System.nanoTime();
                if (!thread.isVirtual() || left <= 0) {
                    continue; // a pool's platform threads end when the code under test closes its pool, or never
                }
                thread.join(Duration.ofNanos(left));
            }
        }
    }

    @Test
    @TimeLimit(seconds = 120) // a correct run takes a few seconds; a platform thread per task can take a minute
    @DisplayName("carries 100,000 tasks that all block at the same time")
    void carriesAHundredThousandTasksThatAllBlockAtTheSameTime() throws InterruptedException {
        AllBlockAtOnce task = new AllBlockAtOnce(TASKS);
        Background<Boolean> call = Background.call("[01.2] runConcurrently", () -> {
            BlockingTasks.runConcurrently(TASKS, task);
            return task.open; // false: it returned while the tasks could not have finished
        });
        try {
            watchUntilBlocked(task, TASKS, call);
        } finally {
            task.releaseAndWaitForTheEnd(call, TASKS, Patience.seconds(90));
        }
        assertThat(call.isDone())
                .as("[01.2] runConcurrently did not return within 90 s after its tasks were let go (README 01.2)")
                .isTrue();
        assertThat(call.await(Patience.seconds(1)))
                .as("[01.2] runConcurrently returned before its tasks were let go, so while they were still blocked: "
                    + "it must wait until every task has finished, as wg.Wait() does (README 01.2)")
                .isTrue();
        assertThat(task.ended.get())
                .as("[01.2] tasks that ran: expected %,d, saw %,d", TASKS, task.ended.get())
                .isEqualTo(TASKS);
    }

    /**
     * Returns once {@code goal} copies of {@code task} are blocked at the same time; fails as soon as that cannot
     * happen any more: a copy ran on a platform thread, the call returned, or the count stood still too long.
     */
    private static void watchUntilBlocked(AllBlockAtOnce task, int goal, Background<?> call) {
        long giveUp = System.nanoTime() + Patience.seconds(60).toNanos();
        int last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            call.rethrowIfFailed(); // not solved yet, or the learner's own exception
            if (task.onPlatformThreads.get() > 0) {
                fail("[01.2] a task ran on a platform thread: %,d blocked platform threads would need %,d OS threads, "
                     + "each with a stack reserved up front. Give each task a thread that is cheap to park (README "
                     + "01.2)", TASKS, TASKS);
            }
            int blocked = task.blocked.get();
            if (blocked >= goal) {
                return;
            }
            if (call.isDone()) {
                fail("[01.2] runConcurrently returned while %,d of its tasks were blocked and the others had not even "
                     + "started: it must wait until every task has finished, as wg.Wait() does (README 01.2)", blocked);
            }
            long now = System.nanoTime();
            if (blocked != last) {
                last = blocked;
                lastChange = now;
            } else if (now - lastChange > STALL.toNanos()) {
                fail("[01.2] only %,d of %,d tasks were blocked at the same time, and no other task started for %d s. "
                     + "A pool runs only as many tasks at once as it has threads (a semaphore, as many as it has "
                     + "permits): the others wait for a thread to free up, and none does while every running task is "
                     + "blocked. Give every task a thread of its own (README 01.2)", blocked, goal, STALL.toSeconds());
            }
            if (now - giveUp > 0) {
                fail("[01.2] after 60 s only %,d of %,d tasks were blocked at the same time (README 01.2)", blocked,
                     goal);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // the next look at the test's own counters
        }
    }

    @Test
    @TimeLimit(seconds = 60)
    @DisplayName("returns only after every task has finished, waiting without polling")
    void returnsOnlyAfterEveryTaskHasFinished() throws InterruptedException {
        int n = 1_000;
        AtomicInteger finished = new AtomicInteger();
        AllBlockAtOnce held = new AllBlockAtOnce(Integer.MAX_VALUE); // every copy blocks until the test lets it go
        Background<Boolean> call = Background.call("[01.2] runConcurrently", () -> {
            BlockingTasks.runConcurrently(n, () -> {
                held.run();
                finished.incrementAndGet();
            });
            return held.open; // false: it returned while the tasks could not have finished
        });
        try {
            watchUntilBlocked(held, n, call);
            assertThat(call.isDone())
                    .as("[01.2] runConcurrently returned while its tasks were still blocked: it must wait until every "
                        + "task has finished, as wg.Wait() does (README 01.2)")
                    .isFalse();
            Polling.assertWaitsWithoutPolling(call.thread(), "01.2", "runConcurrently");
        } finally {
            held.releaseAndWaitForTheEnd(call, n, Patience.seconds(30));
        }
        assertThat(call.await(Patience.seconds(1)))
                .as("[01.2] runConcurrently returned before its tasks were let go (README 01.2)")
                .isTrue();
        assertThat(finished.get())
                .as("[01.2] tasks finished when runConcurrently returned: expected all %,d", n)
                .isEqualTo(n);
    }

    @Nested
    @DisplayName("when the caller is interrupted while it waits")
    class WhenTheCallerIsInterrupted {

        /** How the call ended: how, how many tasks had finished by then, and the caller's interrupt status. */
        record Outcome(String how, int finished, boolean interruptStatus) {
        }

        @Test
        @TimeLimit(seconds = 60)
        @DisplayName("interrupts every task, and returns or throws only once all have finished")
        void interruptsEveryTaskAndEndsOnlyOnceAllHaveFinished() throws InterruptedException {
            int n = 1_000;
            AllBlockAtOnce never = new AllBlockAtOnce(Integer.MAX_VALUE); // only an interrupt ends a copy's wait
            AtomicInteger interrupted = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            AllBlockAtOnce mayFinish = new AllBlockAtOnce(Integer.MAX_VALUE, false); // then it ends when the test says
            Background<Outcome> call = Background.call("[01.2] interrupted runConcurrently", () -> {
                try {
                    BlockingTasks.runConcurrently(n, () -> {
                        never.run();
                        if (Thread.interrupted()) {
                            interrupted.incrementAndGet();
                        }
                        mayFinish.run();
                        finished.incrementAndGet();
                    });
                    return new Outcome("returned", finished.get(), Thread.currentThread().isInterrupted());
                } catch (InterruptedException e) {
                    return new Outcome("threw InterruptedException", finished.get(), true);
                }
            });
            try {
                watchUntilBlocked(never, n, call);
                call.thread().interrupt();

                long patience = System.nanoTime() + Patience.seconds(5).toNanos();
                while (interrupted.get() < n && !call.isDone() && System.nanoTime() - patience < 0) {
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
                assertThat(call.isDone())
                        .as("[01.2] runConcurrently ended after the caller was interrupted while its tasks were still "
                            + "running: interrupt them, then wait for them (README 01.2)")
                        .isFalse();
                assertThat(interrupted.get())
                        .as("[01.2] tasks interrupted after the caller of runConcurrently was: expected all %,d, saw %,d. "
                            + "When the caller gives up, the tasks should be interrupted, as ExecutorService.close() "
                            + "and StructuredTaskScope do (README 01.2)", n, interrupted.get())
                        .isEqualTo(n);
                mayFinish.release();

                call.join(Patience.seconds(10));
                assertThat(call.isDone())
                        .as("[01.2] runConcurrently did not end within 10 s after its interrupted tasks finished")
                        .isTrue();
                Outcome outcome = call.await(Patience.seconds(1));
                assertThat(outcome.finished())
                        .as("[01.2] tasks finished when the interrupted runConcurrently ended: expected all %,d", n)
                        .isEqualTo(n);
                assertThat(outcome.interruptStatus())
                        .as("[01.2] the interrupted runConcurrently returned normally and the caller's interrupt status "
                            + "was cleared: throw InterruptedException, or at least keep the status set (README 01.2)")
                        .isTrue();
            } finally {
                mayFinish.release();
                never.releaseAndWaitForTheEnd(call, n, Patience.seconds(30));
            }
        }
    }
}
