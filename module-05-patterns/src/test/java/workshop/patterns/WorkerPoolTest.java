package workshop.patterns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("05.1")
@DisplayName("05.1 A worker pool")
class WorkerPoolTest {

    private static final int WORKERS = 3;
    private static final int CAPACITY = 4;

    /** The pool's thread factory: counts and keeps the threads it makes (daemons, so a stuck one cannot hang a JVM). */
    private static final class CountingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();
        private final ThreadFactory platform = Thread.ofPlatform().daemon().name("05.1-worker-", 0).factory();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = platform.newThread(task);
            made.add(thread);
            return thread;
        }
    }

    /** Jobs that block until the test releases them: they count who runs, at once and at most, and where. */
    private static final class BlockingJobs {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicIntegerArray runs;

        BlockingJobs(int jobs) {
            runs = new AtomicIntegerArray(jobs);
        }

        Runnable job(int id) {
            return () -> {
                threads.add(Thread.currentThread());
                runs.incrementAndGet(id);
                started.incrementAndGet();
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS); // bounded: never a hang
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                    finished.incrementAndGet();
                }
            };
        }
    }

    private final CountingFactory factory = new CountingFactory();
    private final List<BlockingJobs> jobSets = new CopyOnWriteArrayList<>();
    private final List<Background<?>> calls = new CopyOnWriteArrayList<>();

    private BlockingJobs jobs(int count) {
        BlockingJobs jobs = new BlockingJobs(count);
        jobSets.add(jobs);
        return jobs;
    }

    private Background<Void> inBackground(String description, Background.ThrowingRunnable action) {
        Background<Void> call = Background.run("[05.1] " + description, action);
        calls.add(call);
        return call;
    }

    /** Cleanup: lets every job end, stops the calls still blocked, and ends any thread the pool made. */
    @AfterEach
    void endEverything() throws InterruptedException {
        jobSets.forEach(jobs -> jobs.release.countDown());
        for (Background<?> call : calls) {
            call.thread().interrupt();
            call.join(PATIENCE);
        }
        for (Thread thread : factory.made) {
            thread.join(PATIENCE);
        }
    }

    private static void awaitStarted(BlockingJobs jobs, int count, String whatWentWrong) {
        awaitStarted(jobs, count, null, whatWentWrong);
    }

    /** Waits until {@code count} jobs run at once; fails at once with what {@code caller} threw, if it threw. */
    private static void awaitStarted(BlockingJobs jobs, int count, Background<?> caller, String whatWentWrong) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast(() -> {
                    if (caller != null) {
                        caller.rethrowIfFailed();
                    }
                    return false;
                })
                .alias("[05.1] expected " + count + " jobs running at once, saw " + jobs.running.get() + ": "
                        + whatWentWrong + " (README 05.1)")
                .until(() -> jobs.running.get() >= count);
    }

    @Test
    @DisplayName("runs every job exactly once, and close() returns after all have run")
    void runsEveryJobExactlyOnce() throws InterruptedException {
        int count = 200;
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        Background<Void> caller = inBackground("submit 200 jobs, close()", () -> {
            try (WorkerPool pool = new WorkerPool(WORKERS, CAPACITY, factory)) {
                for (int i = 0; i < count; i++) {
                    int id = i;
                    pool.submit(() -> runs.incrementAndGet(id));
                }
            }
        });
        awaitWatching("05.1", "submitting 200 jobs to a pool of 3 workers and closing it did not finish", caller);

        for (int i = 0; i < count; i++) {
            assertThat(runs.get(i)).as("[05.1] job %d of %d ran %d times by the time close() returned: every queued "
                    + "job runs exactly once before close() returns (README 05.1)", i, count, runs.get(i)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("starts exactly N workers at once, which wait for jobs without polling")
    void startsNWorkersThatWaitWithoutPolling() throws InterruptedException {
        Background<Void> caller = inBackground("new WorkerPool(3, 4, factory), close()", () -> {
            try (WorkerPool pool = new WorkerPool(WORKERS, CAPACITY, factory)) {
                awaitIdleWorkers();
            }
        });
        awaitWatching("05.1", "an idle pool of 3 workers did not close", caller);
    }

    private void awaitIdleWorkers() {
        assertThat(factory.made).as("[05.1] a new pool of 3 workers made %d threads with its thread factory: start "
                + "exactly the N workers in the constructor, with the factory (README 05.1)", factory.made.size())
                .hasSize(WORKERS);
        AtomicInteger timedWaits = new AtomicInteger();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast(() -> {
                    if (timedWaits.get() >= 100) {
                        throw new AssertionError("[05.1] idle workers should park until a job comes (WAITING): they "
                                + "were " + factory.made.stream().map(t -> t.getState().toString()).toList()
                                + ", a timed wait: sleeping or polling with a time-out in a loop? (README 05.1)");
                    }
                    return false;
                })
                .alias("[05.1] idle workers should park until a job comes (WAITING), not spin (README 05.1)")
                .until(() -> {
                    boolean allWaiting = true;
                    for (Thread worker : factory.made) {
                        Thread.State state = worker.getState();
                        timedWaits.addAndGet(state == Thread.State.TIMED_WAITING ? 1 : 0);
                        allWaiting &= state == Thread.State.WAITING;
                    }
                    return allWaiting;
                });
    }

    @Test
    @DisplayName("runs at most N jobs at once, on its N worker threads, and no thread per job")
    void runsAtMostNJobsAtOnceOnItsWorkers() throws InterruptedException {
        int count = 12;
        BlockingJobs jobs = jobs(count);
        CountDownLatch allSubmitted = new CountDownLatch(1);
        Background<Void> caller = inBackground("submit 12 blocking jobs, close()", () -> {
            try (WorkerPool pool = new WorkerPool(WORKERS, CAPACITY, factory)) {
                for (int i = 0; i < WORKERS + CAPACITY; i++) {
                    pool.submit(jobs.job(i));
                }
                for (int i = WORKERS + CAPACITY; i < count; i++) {
                    pool.submit(jobs.job(i));
                }
                allSubmitted.countDown();
            }
        });
        awaitStarted(jobs, WORKERS, caller, "3 workers should run 3 jobs at once; are the jobs run one after the "
                + "other?");
        awaitWaiting(caller, "05.1", "submit() returned with 3 jobs running and 4 queued: a full queue should make "
                + "submit() wait for room (backpressure)");
        assertThat(allSubmitted.getCount()).as("[05.1] all 12 submit() calls returned with 3 jobs running: a "
                + "queue of capacity 4 holds at most 4 jobs, and a full queue makes submit() wait for room "
                + "(backpressure) (README 05.1)").isOne();
        assertThat(jobs.peak.get()).as("[05.1] %d jobs ran at once in a pool of 3 workers: only the workers run "
                + "jobs, a thread per job is not a pool (README 05.1)", jobs.peak.get()).isEqualTo(WORKERS);

        jobs.release.countDown();
        awaitWatching("05.1", "close() did not return after every job had been released", caller);

        assertThat(jobs.peak.get()).as("[05.1] %d jobs ran at once in a pool of 3 workers: only the workers run "
                + "jobs, a thread per job is not a pool (README 05.1)", jobs.peak.get()).isEqualTo(WORKERS);
        assertThat(factory.made).as("[05.1] the pool made %d threads for 3 workers and 12 jobs: start exactly N "
                + "workers that each run many jobs, not a thread per job (README 05.1)", factory.made.size())
                .hasSize(WORKERS);
        assertThat(factory.made).as("[05.1] jobs ran on threads the pool's thread factory did not make: %s; only "
                + "the N workers run jobs (README 05.1)", jobs.threads).containsAll(jobs.threads);
        for (int i = 0; i < count; i++) {
            assertThat(jobs.runs.get(i)).as("[05.1] job %d ran %d times: every job runs exactly once (README 05.1)",
                    i, jobs.runs.get(i)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("submit() on a full queue waits (WAITING) until a worker takes a job, and answers interruption")
    void submitWaitsForRoomAndAnswersInterruption() throws InterruptedException {
        BlockingJobs jobs = jobs(WORKERS + CAPACITY + 2);
        WorkerPool pool = new WorkerPool(WORKERS, CAPACITY, factory);
        try {
            for (int i = 0; i < WORKERS + CAPACITY; i++) {
                pool.submit(jobs.job(i));
            }
            awaitStarted(jobs, WORKERS, "3 workers should run 3 jobs at once");
            Background<Void> interrupted = inBackground("submit() on a full queue, then interrupted",
                    () -> pool.submit(jobs.job(WORKERS + CAPACITY)));
            awaitWaiting(interrupted, "05.1", "submit() returned with 3 jobs running and 4 queued: a full queue "
                    + "should make submit() wait for room (backpressure)");
            interrupted.thread().interrupt();
            Throwable thrown = catchThrowable(() -> interrupted.await(PATIENCE));
            assertThat(thrown).as("[05.1] an interrupted submit() should throw InterruptedException, it threw %s "
                    + "(README 05.1)", thrown).hasCauseInstanceOf(InterruptedException.class);

            Background<Void> waiting = inBackground("submit() on a full queue",
                    () -> pool.submit(jobs.job(WORKERS + CAPACITY + 1)));
            awaitWaiting(waiting, "05.1", "submit() returned with 3 jobs running and 4 queued: a full queue "
                    + "should make submit() wait for room (backpressure)");
            jobs.release.countDown();
            awaitWatching("05.1", "submit() on a full queue did not return once the workers took queued jobs",
                    waiting);
        } finally {
            jobs.release.countDown();
            pool.close();
        }
        assertThat(jobs.runs.get(WORKERS + CAPACITY)).as("[05.1] the job of an interrupted submit() ran: an "
                + "interrupted submit() does not queue its job (README 05.1)").isZero();
        assertThat(jobs.started.get()).as("[05.1] %d jobs ran, expected the 8 that were queued (README 05.1)",
                jobs.started.get()).isEqualTo(WORKERS + CAPACITY + 1);
    }

    @Test
    @DisplayName("close() waits until the queued jobs have run and every worker has ended")
    void closeWaitsForTheJobsAndTheWorkers() throws InterruptedException {
        BlockingJobs jobs = jobs(WORKERS + CAPACITY);
        WorkerPool pool = new WorkerPool(WORKERS, CAPACITY, factory);
        for (int i = 0; i < WORKERS + CAPACITY; i++) {
            pool.submit(jobs.job(i));
        }
        awaitStarted(jobs, WORKERS, "3 workers should run 3 jobs at once");
        Background<Boolean> closer = Background.call("[05.1] close() with 3 jobs running and 4 queued", () -> {
            pool.close();
            return factory.made.stream().noneMatch(Thread::isAlive);
        });
        calls.add(closer);
        awaitWaiting(closer, "05.1", "close() returned while 3 jobs were running and 4 queued: close() waits "
                + "until every queued job has run and every worker has ended");

        Throwable late = catchThrowable(() -> pool.submit(() -> { }));
        assertThat(late).as("[05.1] submit() after close() should throw IllegalStateException, it threw %s "
                + "(README 05.1)", late).isInstanceOf(IllegalStateException.class);

        jobs.release.countDown();
        boolean workersEnded = awaitWatching("05.1", "close() did not return after every job had been released",
                closer);

        assertThat(jobs.finished.get()).as("[05.1] close() returned when %d of the 7 queued jobs had run: it "
                + "should return after all of them (README 05.1)", jobs.finished.get()).isEqualTo(WORKERS + CAPACITY);
        assertThat(workersEnded).as("[05.1] close() returned while worker threads were still alive: "
                + "wait until every worker has ended, as wg.Wait() does (README 05.1)").isTrue();
        Background<Void> again = inBackground("close() a second time", pool::close);
        awaitWatching("05.1", "closing a closed pool did not return", again);
    }

    @Test
    @DisplayName("close() does not return while a worker is still ending")
    void closeWaitsForAWorkerThatLingers() throws InterruptedException {
        BlockingJobs jobs = jobs(1);
        CountDownLatch lastJobDone = new CountDownLatch(1);
        CountDownLatch workerMayEnd = new CountDownLatch(1);
        // A thread factory whose workers linger after their loop, until the test lets them end.
        ThreadFactory lingering = task -> factory.newThread(() -> {
            try {
                task.run();
            } finally {
                lastJobDone.countDown();
                try {
                    workerMayEnd.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        WorkerPool pool = new WorkerPool(1, CAPACITY, lingering);
        pool.submit(jobs.job(0));
        jobs.release.countDown();
        Background<Void> closer = inBackground("close() while the worker is ending", pool::close);
        try {
            await().atMost(PATIENCE).alias("[05.1] the worker never left its loop after close(): when the queue is "
                    + "closed and empty a worker ends (README 05.1)").until(() -> {
                        closer.rethrowIfFailed();
                        return lastJobDone.getCount() == 0;
                    });
            awaitWaiting(closer, "05.1", "close() returned while the worker thread was still running: wait until "
                    + "every worker has ended (join them), not only until the queue is empty");
        } finally {
            workerMayEnd.countDown();
        }
        awaitWatching("05.1", "close() did not return after the worker ended", closer);
    }
}
