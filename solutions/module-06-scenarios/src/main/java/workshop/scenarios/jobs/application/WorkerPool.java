package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exercise 06.10: The pool's limit
 *
 * <p>Exactly {@code workers} long-lived threads take jobs from a buffer of at most {@code buffer} jobs, so that never
 * more than {@code workers} jobs are handled at once, however many arrive; {@link #submit} blocks while the buffer is
 * full. In Go, a fixed number of goroutines ranging over a buffered channel:
 *
 * <pre>{@code
 * jobs := make(chan Job, 2*workers)
 * var wg sync.WaitGroup
 * for i := 0; i < workers; i++ {
 *     wg.Add(1)
 *     go func() { defer wg.Done(); for job := range jobs { handle(ctx, job) } }()
 * }
 * jobs <- job    // blocks while the buffer is full
 * close(jobs)    // no more jobs: each worker ends once the channel is drained
 * }</pre>
 *
 * <p>Unlike Go's {@code close}, {@link #closeIntake} takes the buffered jobs out and returns them: they were never
 * started, and the caller gives them back to the queue instead of handling them during a shutdown.
 *
 * <p>Thread safety: every method may be called from any thread. Memory consistency effects: actions in a thread before
 * it submits a job happen-before the job is handled.
 */
public final class WorkerPool {

    private final int workers;
    private final int buffer;
    private final JobWorker worker;

    /** Guards every field below: the pool's state is one channel, as Go's. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a job leaves the buffer or the intake closes: a blocked submit may go on. */
    private final Condition notFull = lock.newCondition();
    /** Signalled when a job enters the buffer or the intake closes: an idle worker may go on. */
    private final Condition notEmptyOrClosed = lock.newCondition();
    private final ArrayDeque<Job> buffered = new ArrayDeque<>();
    private final List<Job> unfinished = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean started;
    private boolean closed;
    private int inFlight;

    /**
     * A pool of {@code workers} threads, not started yet.
     *
     * @param workers how many jobs may be handled at once: at least 1
     * @param buffer  how many submitted jobs may wait for a worker: at least 1
     * @param worker  what each thread does with a job
     */
    public WorkerPool(int workers, int buffer, JobWorker worker) {
        if (workers < 1 || buffer < 1) {
            throw new IllegalArgumentException("workers and buffer must be at least 1: " + workers + ", " + buffer);
        }
        this.workers = workers;
        this.buffer = buffer;
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    /**
     * Starts the pool's threads, exactly {@code workers} of them, each handling one job after the other until the
     * intake is closed and the buffer empty, or until it is interrupted. Returns at once.
     *
     * @throws IllegalStateException if the pool was started already
     */
    public void start() {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("the pool was started already");
            }
            started = true;
            for (int i = 0; i < workers; i++) {
                threads.add(Thread.ofVirtual().name("job-worker-" + i).start(this::work));
            }
        } finally {
            lock.unlock();
        }
    }

    /** One worker: Go's {@code for job := range jobs}, which also ends when its thread is interrupted. */
    private void work() {
        while (true) {
            Job job;
            lock.lock();
            try {
                while (buffered.isEmpty() && !closed) {
                    notEmptyOrClosed.await();
                }
                if (buffered.isEmpty()) {
                    return; // closed and drained
                }
                job = buffered.poll();
                inFlight++;
                notFull.signal();
            } catch (InterruptedException e) {
                return; // an idle worker, interrupted by interruptAndJoin: the pool is going away
            } finally {
                lock.unlock();
            }
            boolean interrupted = false;
            try {
                worker.handle(job);
            } catch (InterruptedException e) {
                interrupted = true; // the job stays leased: the caller of interruptAndJoin releases it
            } catch (RuntimeException e) {
                // the worker failed unexpectedly (its database went away): the job's lease expires and it comes back;
                // the pool keeps its thread, or it would shrink with every such failure
            } finally {
                lock.lock();
                try {
                    inFlight--;
                    if (interrupted) {
                        unfinished.add(job);
                    }
                } finally {
                    lock.unlock();
                }
            }
            if (interrupted) {
                return;
            }
        }
    }

    /**
     * Hands {@code job} to the pool. Blocks while {@code buffer} jobs wait for a worker.
     *
     * @throws InterruptedException  if interrupted while it waits: the job was not taken, it is still the caller's
     * @throws IllegalStateException if the intake is closed (also while it waited): the job was not taken
     */
    public void submit(Job job) throws InterruptedException {
        Objects.requireNonNull(job, "job");
        lock.lockInterruptibly();
        try {
            while (buffered.size() == buffer && !closed) {
                notFull.await();
            }
            if (closed) {
                throw new IllegalStateException("the pool's intake is closed: " + job.id() + " was not taken");
            }
            buffered.add(job);
            notEmptyOrClosed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** How many jobs the pool's threads are handling now: at most {@code workers}. */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the intake: {@link #submit} throws from now on, idle workers end, and busy ones end once their job is
     * done. Returns the jobs still in the buffer, which no worker started and none will. Returns at once; closing a
     * closed pool returns an empty list.
     */
    public List<Job> closeIntake() {
        lock.lock();
        try {
            closed = true;
            List<Job> neverStarted = new ArrayList<>(buffered);
            buffered.clear();
            notEmptyOrClosed.signalAll();
            notFull.signalAll();
            return neverStarted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every thread of the pool has ended, for at most {@code timeout}. Useful after {@link #closeIntake}.
     *
     * @return whether every thread has ended (also when the pool was never started)
     * @throws InterruptedException if interrupted while it waits
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 ? thread.isAlive() : !thread.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Interrupts every thread of the pool and waits until all have ended: busy workers end once their job answers
     * the interrupt (it throws {@link InterruptedException}), idle ones at once. Blocks until then, however long.
     *
     * @return the jobs whose handling was interrupted: each is still leased, for the caller to release
     * @throws InterruptedException if interrupted while it waits: the workers were interrupted, some may still run
     */
    public List<Job> interruptAndJoin() throws InterruptedException {
        List<Thread> all = threads();
        all.forEach(Thread::interrupt);
        for (Thread thread : all) {
            thread.join();
        }
        lock.lock();
        try {
            return List.copyOf(unfinished);
        } finally {
            lock.unlock();
        }
    }

    private List<Thread> threads() {
        lock.lock();
        try {
            return List.copyOf(threads);
        } finally {
            lock.unlock();
        }
    }
}
