package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;
import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
        // TODO 06.10: the pool's state: where do submitted jobs wait, and what tells a waiting thread to go on?
    }

    /**
     * Starts the pool's threads, exactly {@code workers} of them, each handling one job after the other until the
     * intake is closed and the buffer empty, or until it is interrupted. Returns at once.
     *
     * @throws IllegalStateException if the pool was started already
     */
    public void start() {
        // TODO 06.10: how many threads, started when, and what does each one do until there is no more work?
        throw new NotSolvedYet("06.10");
    }

    /**
     * Hands {@code job} to the pool. Blocks while {@code buffer} jobs wait for a worker.
     *
     * @throws InterruptedException  if interrupted while it waits: the job was not taken, it is still the caller's
     * @throws IllegalStateException if the intake is closed (also while it waited): the job was not taken
     */
    public void submit(Job job) throws InterruptedException {
        Objects.requireNonNull(job, "job");
        // TODO 06.10: where does the job wait for a worker, and what makes this call wait while there is no room?
        throw new NotSolvedYet("06.10");
    }

    /** How many jobs the pool's threads are handling now: at most {@code workers}. */
    public int inFlight() {
        // TODO 06.10: who counts the jobs being handled?
        throw new NotSolvedYet("06.10");
    }

    /**
     * Closes the intake: {@link #submit} throws from now on, idle workers end, and busy ones end once their job is
     * done. Returns the jobs still in the buffer, which no worker started and none will. Returns at once; closing a
     * closed pool returns an empty list.
     */
    public List<Job> closeIntake() {
        // TODO 06.10: Go's close(jobs), except that the buffered jobs come out: how does an idle worker learn of it?
        throw new NotSolvedYet("06.10");
    }

    /**
     * Waits until every thread of the pool has ended, for at most {@code timeout}. Useful after {@link #closeIntake}.
     *
     * @return whether every thread has ended (also when the pool was never started)
     * @throws InterruptedException if interrupted while it waits
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        // TODO 06.10: Go's wg.Wait(), with a deadline
        throw new NotSolvedYet("06.10");
    }

    /**
     * Interrupts every thread of the pool and waits until all have ended: busy workers end once their job answers
     * the interrupt (it throws {@link InterruptedException}), idle ones at once. Blocks until then, however long.
     *
     * @return the jobs whose handling was interrupted: each is still leased, for the caller to release
     * @throws InterruptedException if interrupted while it waits: the workers were interrupted, some may still run
     */
    public List<Job> interruptAndJoin() throws InterruptedException {
        // TODO 06.10: which threads, and which jobs did they leave unfinished?
        throw new NotSolvedYet("06.10");
    }
}
