package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.jobs.domain.Job;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The durable queue of jobs and the table of their results, as the processor needs them. Adapters: an embedded
 * database file (one process), PostgreSQL (many processes); SQS or Kafka would fit the same port (the module's README
 * maps leases to visibility time-outs and offsets). Every method is safe to call from many threads at once; none
 * blocks for longer than its database statement.
 *
 * <p>A job is <em>ready</em> when it is neither done nor dead-lettered, its retry time has come and no unexpired lease
 * holds it. Times come from the adapter's clock, which {@code Main} or a test injects.
 */
public interface JobQueue {

    /**
     * Leases up to {@code max} ready jobs, oldest first: each is invisible to every other lease until
     * {@code visibility} has passed on the queue's clock, after which it is ready again (a processor that crashed
     * holding it does not lose it). Returns at once, with an empty list when no job is ready.
     *
     * @throws IllegalArgumentException if {@code max < 1} or {@code visibility} is not positive
     */
    List<Job> lease(int max, Duration visibility);

    /**
     * Stores a job's result and marks the job done, in one transaction: a result is never stored for a job that stays
     * ready, nor a job marked done without its result. Idempotent: completing a job that is already done (a
     * redelivery after a crash or an expired lease) changes nothing and stores no second result.
     */
    void complete(JobResult result);

    /**
     * Records a failed attempt: the job's failure count goes up by one, its lease ends, and it is ready again once
     * {@code delay} has passed on the queue's clock.
     */
    void retryLater(JobId id, Duration delay, String error);

    /** Moves a job to the dead letters with its last error: it is never delivered again. */
    void deadLetter(JobId id, String error);

    /** Ends the leases of jobs that were leased but not started (a shutdown): they are ready at once, no failure counted. */
    void release(Collection<JobId> ids);

    /** How many jobs are ready now: the queue's depth, for metrics. */
    int depth();
}
