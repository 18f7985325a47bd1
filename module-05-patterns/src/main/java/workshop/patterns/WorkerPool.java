package workshop.patterns;

import workshop.support.NotSolvedYet;

import java.util.concurrent.ThreadFactory;

/**
 * Exercise 05.1: A worker pool
 *
 * <p>Run jobs on exactly N long-lived workers that take them from a bounded queue: a full queue makes the submitter
 * wait (backpressure), and closing the pool lets the workers finish every queued job, then end.
 *
 * <pre>{@code
 * jobs := make(chan Job, capacity)
 * var wg sync.WaitGroup
 * for range n { wg.Go(func() { for j := range jobs { j() } }) }   // each worker: until jobs is closed and empty
 * jobs <- job                                                       // blocks while the buffer is full
 * close(jobs); wg.Wait()                                            // no more jobs; wait for the workers to end
 * }</pre>
 */
public final class WorkerPool implements AutoCloseable {

    /**
     * Creates a pool and starts its {@code workers} worker threads at once, each made by {@code threadFactory}; no
     * other thread is ever started. Queued jobs wait in a queue that holds at most {@code queueCapacity} of them.
     *
     * @throws IllegalArgumentException if {@code workers} or {@code queueCapacity} is less than 1
     */
    public WorkerPool(int workers, int queueCapacity, ThreadFactory threadFactory) {
        // TODO 05.1: a bounded queue, and N threads that each take jobs from it until it is closed and empty
        throw new NotSolvedYet("05.1");
    }

    /**
     * Queues {@code job} to be run once by one of the workers. Blocks while the queue is full: while
     * {@code queueCapacity} jobs are waiting (and every worker is busy), until a worker takes one. Jobs should not
     * throw; one that does is reported to its worker's uncaught exception handler and the worker goes on.
     *
     * <p>Memory consistency effects: actions before {@code submit} happen-before the job runs.
     *
     * @throws InterruptedException  if interrupted while waiting for room; the job was not queued
     * @throws IllegalStateException if the pool has been closed
     */
    public void submit(Runnable job) throws InterruptedException {
        // TODO 05.1: wait for room, do not make it
        throw new NotSolvedYet("05.1");
    }

    /**
     * Closes the pool, like Go's {@code close(jobs)} followed by {@code wg.Wait()}: accepts no new job, lets the
     * workers run every job still queued, each exactly once, and returns only after every worker thread has ended.
     * Closing a closed pool does nothing more (it still waits for the workers).
     *
     * <p>Memory consistency effects: actions in every job happen-before {@code close} returns.
     *
     * @throws InterruptedException if interrupted while waiting for the workers (they go on with the queued jobs)
     */
    @Override
    public void close() throws InterruptedException {
        // TODO 05.1: tell the workers no more jobs will come, then wait until each has ended
        throw new NotSolvedYet("05.1");
    }
}
