package workshop.patterns;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a job is queued or the pool is closed: an idle worker waits for it. */
    private final Condition jobOrClosed = lock.newCondition();
    /** Signalled when a worker takes a job or the pool is closed: a submitter waits for it. */
    private final Condition roomOrClosed = lock.newCondition();
    private final ArrayDeque<Runnable> jobs;
    private final int capacity;
    private final List<Thread> workers;
    private boolean closed;

    /**
     * Creates a pool and starts its {@code workers} worker threads at once, each made by {@code threadFactory}; no
     * other thread is ever started. Queued jobs wait in a queue that holds at most {@code queueCapacity} of them.
     *
     * @throws IllegalArgumentException if {@code workers} or {@code queueCapacity} is less than 1
     */
    public WorkerPool(int workers, int queueCapacity, ThreadFactory threadFactory) {
        if (workers < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workers and queueCapacity must be at least 1: " + workers + ", "
                    + queueCapacity);
        }
        this.capacity = queueCapacity;
        this.jobs = new ArrayDeque<>(queueCapacity);
        List<Thread> started = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            Thread worker = threadFactory.newThread(this::work);
            started.add(worker);
        }
        this.workers = List.copyOf(started);
        this.workers.forEach(Thread::start);
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
        lock.lockInterruptibly();
        try {
            while (!closed && jobs.size() == capacity) {
                roomOrClosed.await(); // backpressure: wait for a worker to take a job
            }
            if (closed) {
                throw new IllegalStateException("the pool is closed");
            }
            jobs.add(job);
            jobOrClosed.signal();
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            closed = true; // close(jobs)
            jobOrClosed.signalAll();
            roomOrClosed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread worker : workers) { // wg.Wait()
            worker.join();
        }
    }

    /** A worker: {@code for j := range jobs { j() }}. */
    private void work() {
        while (true) {
            Runnable job;
            lock.lock();
            try {
                while (jobs.isEmpty() && !closed) {
                    jobOrClosed.awaitUninterruptibly(); // only close() ends a worker
                }
                job = jobs.poll();
                if (job == null) {
                    return; // closed and drained
                }
                roomOrClosed.signal();
            } finally {
                lock.unlock();
            }
            try {
                job.run();
            } catch (RuntimeException | Error e) {
                Thread me = Thread.currentThread();
                me.getUncaughtExceptionHandler().uncaughtException(me, e);
            }
        }
    }
}
