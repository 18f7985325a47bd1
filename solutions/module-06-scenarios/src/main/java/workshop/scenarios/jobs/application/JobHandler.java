package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.jobs.domain.RetryPolicy;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exercise 06.13: One job, at least once
 *
 * <p>One attempt of one job, to its end: call the API, then tell the queue how it went, and only then; the queue's
 * record is what survives a crash. The worker never sleeps a backoff and never loops: the delay is the queue's. In Go,
 * the body of a worker's {@code for job := range jobs} loop:
 *
 * <pre>{@code
 * res, err := api.Process(ctx, job)
 * switch {
 * case errors.Is(err, context.Canceled): return err             // shutting down: no outcome, the lease runs out
 * case err == nil:                       return store.Complete(ctx, job.ID, res) // result and "done" in one tx
 * case job.Failures+1 >= maxAttempts:    return store.DeadLetter(ctx, job.ID, err.Error())
 * default:                               return store.RetryLater(ctx, job.ID, backoff(job.Failures+1), err.Error())
 * }
 * }</pre>
 *
 * <p>Thread-safe if its collaborators are: the pool calls {@link #handle} from many workers at once.
 */
public final class JobHandler implements JobWorker {

    private final ExternalApi api;
    private final JobQueue queue;
    private final RetryPolicy policy;
    private final DoubleSupplier jitter;

    /**
     * @param api    the external API that does a job's work
     * @param queue  where each attempt's outcome is recorded
     * @param policy what to do after a failure
     * @param jitter a random fraction in {@code [0, 1)} per failure, for the policy: {@code ThreadLocalRandom}'s in
     *               {@code Main}, a fixed one in tests
     */
    public JobHandler(ExternalApi api, JobQueue queue, RetryPolicy policy, DoubleSupplier jitter) {
        this.api = Objects.requireNonNull(api, "api");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /**
     * One attempt of {@code job}: on the API's answer the result is stored (the job done); on an
     * {@link ApiException} the policy decides between a later retry and the dead letters. Returns once the queue has
     * recorded the outcome; never sleeps.
     *
     * @throws InterruptedException if interrupted while the API works: no outcome is recorded, the job stays leased
     * @throws JobQueueException    if the queue failed to record the outcome: the processor's failure, not the job's
     */
    @Override
    public void handle(Job job) throws InterruptedException {
        Objects.requireNonNull(job, "job");
        JobResult result;
        try {
            result = api.process(job); // an InterruptedException passes through: no outcome, nothing recorded
        } catch (ApiException e) {
            String error = String.valueOf(e.getMessage());
            switch (policy.afterFailure(job.failures() + 1, jitter.getAsDouble())) {
                case RetryPolicy.RetryAfter(var delay) -> queue.retryLater(job.id(), delay, error);
                case RetryPolicy.DeadLetter() -> queue.deadLetter(job.id(), error);
            }
            return;
        }
        queue.complete(result); // the result and "done" in one step, after the work: at least once
    }
}
