package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Exercise 06.11: Backpressure
 *
 * <p>The loop that leases jobs from the durable queue and hands them to the pool, never more than the pool can hold:
 * at most {@code capacity} jobs (workers plus buffer) leased and not yet ended. While that many are out, it blocks
 * until one ends; when the queue has nothing ready, it waits {@code idlePoll} and asks again. In Go, a weighted
 * semaphore ({@code golang.org/x/sync/semaphore}) counts the room, and a ticker paces the empty queue:
 *
 * <pre>{@code
 * room := semaphore.NewWeighted(int64(workers + buffer))
 * for {
 *     if err := room.Acquire(ctx, 1); err != nil { return err }   // blocks while the pool is full
 *     jobs := queue.Lease(1, visibility)
 *     if len(jobs) == 0 {
 *         room.Release(1)
 *         select { case <-ctx.Done(): return ctx.Err(); case <-ticker.C: }
 *         continue
 *     }
 *     pool <- jobs[0]                                              // its worker calls room.Release(1) when it ends
 * }
 * }</pre>
 *
 * <p>Thread safety: {@link #run} runs on one thread (the processor's reader); {@link #jobEnded} may be called from any.
 */
public final class JobReader {

    /** Where the reader hands leased jobs: the pool's {@code submit}. */
    @FunctionalInterface
    public interface Intake {

        /**
         * Takes {@code job}, blocking while there is no room for it.
         *
         * @throws InterruptedException if interrupted while it waits: the job was not taken
         */
        void submit(Job job) throws InterruptedException;
    }

    private final JobQueue queue;
    private final Intake intake;
    private final int capacity;
    private final Duration visibility;
    private final Duration idlePoll;

    /** One permit per job the pool can still hold: taken before a job is leased, given back when it ends. */
    private final Semaphore room;

    /**
     * A reader, not running yet.
     *
     * @param queue      where jobs are leased
     * @param intake     where leased jobs go
     * @param capacity   how many jobs may be leased and not ended at once: the pool's workers plus its buffer
     * @param visibility each lease's visibility time-out
     * @param idlePoll   how long to wait before asking an empty queue again: positive
     */
    public JobReader(JobQueue queue, Intake intake, int capacity, Duration visibility, Duration idlePoll) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.visibility = Objects.requireNonNull(visibility, "visibility");
        this.idlePoll = Objects.requireNonNull(idlePoll, "idlePoll");
        if (capacity < 1 || !idlePoll.isPositive()) {
            throw new IllegalArgumentException("capacity must be at least 1 and idlePoll positive: " + capacity + ", "
                    + idlePoll);
        }
        this.capacity = capacity;
        this.room = new Semaphore(capacity);
    }

    /**
     * One job that this reader handed over has ended, however it ended (done, retried, dead-lettered, failed or
     * interrupted): one more may be leased. Call it once per job handed over.
     */
    public void jobEnded() {
        room.release();
    }

    /**
     * Leases jobs and hands them over until interrupted. Blocks while {@code capacity} jobs are leased and not ended,
     * and waits {@code idlePoll} whenever the queue has nothing ready. Never returns normally.
     *
     * @throws InterruptedException if the thread is interrupted (a shutdown): jobs it had leased and not yet handed
     *                              over are released first, so that none waits for its lease to expire
     * @throws JobQueueException    if the queue fails; the jobs it holds are released if the queue still answers
     */
    public void run() throws InterruptedException {
        while (true) {
            room.acquire(); // blocks while the pool is full: the backpressure
            int free = 1 + room.drainPermits();
            List<Job> jobs;
            try {
                jobs = queue.lease(free, visibility);
            } catch (RuntimeException e) {
                room.release(free);
                throw e;
            }
            room.release(free - jobs.size());
            if (jobs.isEmpty()) {
                Thread.sleep(idlePoll); // a table has nothing to wait on: the honest exception, a short poll
                continue;
            }
            handOver(jobs);
        }
    }

    private void handOver(List<Job> jobs) throws InterruptedException {
        for (int i = 0; i < jobs.size(); i++) {
            try {
                intake.submit(jobs.get(i));
            } catch (InterruptedException | RuntimeException e) {
                List<Job> rest = jobs.subList(i, jobs.size());
                room.release(rest.size());
                try {
                    queue.release(rest.stream().map(Job::id).toList());
                } catch (RuntimeException releaseFailed) {
                    e.addSuppressed(releaseFailed); // their leases expire instead
                }
                throw e;
            }
        }
    }

    /** How many jobs this reader may have leased and not ended at once. */
    public int capacity() {
        return capacity;
    }
}
