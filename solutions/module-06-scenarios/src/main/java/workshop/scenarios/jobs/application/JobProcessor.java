package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Exercise 06.16: Graceful shutdown
 *
 * <p>The processor: a reader that leases jobs from the queue (06.11) and a pool of workers that handles them (06.10).
 * {@link #stop} shuts it down gracefully: it stops taking jobs, lets the jobs in flight finish within the deadline,
 * interrupts those still running after it and waits for them, and gives every leased job that did not finish back to
 * the queue, so that none is lost and none waits for its lease to expire. In Go:
 *
 * <pre>{@code
 * ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
 * defer stop()
 * go reader(ctx, queue, jobs)      // returns once ctx is done
 * <-ctx.Done()
 * close(jobs)                      // no more jobs; the workers drain and return
 * done := make(chan struct{})
 * go func() { wg.Wait(); close(done) }()
 * select {
 * case <-done:                     // drained in time
 * case <-time.After(deadline):     // cancel the workers' context, then wait for them after all
 *     cancelWork(); <-done
 * }
 * }</pre>
 *
 * <p>Thread safety: every method may be called from any thread; {@link #stop} stops once.
 */
public final class JobProcessor implements AutoCloseable {

    /**
     * How the processor runs.
     *
     * @param workers    how many jobs are handled at once (the external API's limit of concurrent calls): at least 1
     * @param buffer     how many leased jobs may wait for a worker: at least 1
     * @param visibility each lease's visibility time-out: positive, longer than a job takes
     * @param idlePoll   how long the reader waits before asking an empty queue again: positive
     */
    public record Settings(int workers, int buffer, Duration visibility, Duration idlePoll) {

        public Settings {
            Objects.requireNonNull(visibility, "visibility");
            Objects.requireNonNull(idlePoll, "idlePoll");
            if (workers < 1 || buffer < 1 || !visibility.isPositive() || !idlePoll.isPositive()) {
                throw new IllegalArgumentException("not valid settings: " + workers + " workers, a buffer of " + buffer
                        + ", visibility " + visibility + ", idle poll " + idlePoll);
            }
        }

        /** {@code workers} workers, a buffer of twice as many jobs, a visibility of 60 s, an idle poll of 50 ms. */
        public static Settings of(int workers) {
            return new Settings(workers, 2 * workers, Duration.ofSeconds(60), Duration.ofMillis(50));
        }
    }

    /**
     * How a stop went.
     *
     * @param released      how many leased jobs were given back to the queue: never started, or interrupted
     * @param drainedInTime whether every job in flight finished within the deadline (no worker was interrupted)
     */
    public record Stopped(int released, boolean drainedInTime) {
    }

    private final JobQueue queue;
    private final Duration idlePoll;
    private final WorkerPool pool;
    private final JobReader reader;
    private final Object lifecycle = new Object();
    private Thread readerThread;
    private boolean started;
    private Stopped stopped;

    /** A processor of {@code queue}'s jobs, not started yet. */
    public JobProcessor(JobQueue queue, JobWorker worker, Settings settings) {
        this.queue = Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(settings, "settings");
        this.idlePoll = settings.idlePoll();
        this.reader = new JobReader(queue, job -> pool().submit(job), settings.workers() + settings.buffer(),
                settings.visibility(), settings.idlePoll());
        this.pool = new WorkerPool(settings.workers(), settings.buffer(), job -> {
            try {
                worker.handle(job);
            } finally {
                reader.jobEnded();
            }
        });
    }

    private WorkerPool pool() {
        return pool;
    }

    /**
     * Starts the workers and the reader, which leases jobs until {@link #stop}. Returns at once.
     *
     * @throws IllegalStateException if started or stopped already
     */
    public void start() {
        synchronized (lifecycle) {
            if (started || stopped != null) {
                throw new IllegalStateException("the processor was started or stopped already");
            }
            started = true;
            pool.start();
            readerThread = Thread.ofVirtual().name("job-reader").start(this::read);
        }
    }

    /**
     * The reader's thread, until {@link #stop} interrupts it. A failing queue (its database restarting: a
     * {@link JobQueueException}, or any other runtime exception) is asked again after the idle poll, so that the
     * processor outlives the outage instead of standing still with its reader gone.
     */
    private void read() {
        while (true) {
            try {
                reader.run();
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException failed) {
                try {
                    Thread.sleep(idlePoll);
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }
    }

    /** How many jobs the workers are handling now. */
    public int inFlight() {
        return pool.inFlight();
    }

    /**
     * Stops the processor: stops leasing, lets the jobs in flight finish within {@code deadline}, then interrupts the
     * workers still running and waits for them, and releases every leased job that did not finish (the buffered ones
     * that never started and the interrupted ones). When it returns, no thread of the processor runs. Blocks for the
     * deadline at most, plus as long as interrupted jobs take to answer their interrupt. A second call returns at once.
     *
     * @throws InterruptedException if interrupted while it waits for the jobs in flight: they are interrupted, waited
     *                              for and released before it throws
     */
    public Stopped stop(Duration deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        synchronized (lifecycle) {
            if (stopped != null) {
                return stopped;
            }
            long end = System.nanoTime() + deadline.toNanos();
            // 1. stop taking jobs: the reader gives back what it leased and did not hand over, and ends
            if (readerThread != null) {
                readerThread.interrupt();
                readerThread.join();
            }
            // 2. close the intake: the buffered jobs never started
            List<Job> toRelease = new ArrayList<>(pool.closeIntake());
            // 3. let the jobs in flight finish within the deadline; 4. then interrupt them and wait for them
            boolean drained;
            InterruptedException interrupted = null;
            try {
                drained = pool.awaitTermination(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = e;
                drained = false;
            }
            if (!drained) {
                toRelease.addAll(pool.interruptAndJoin());
            }
            // 5. give back every leased job that did not finish
            if (!toRelease.isEmpty()) {
                queue.release(toRelease.stream().map(Job::id).toList());
            }
            stopped = new Stopped(toRelease.size(), drained);
            if (interrupted != null) {
                throw interrupted;
            }
            return stopped;
        }
    }

    /** {@link #stop stop(Duration.ZERO)} unless stopped already; if interrupted, it sets the interrupt status again. */
    @Override
    public void close() {
        try {
            stop(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
