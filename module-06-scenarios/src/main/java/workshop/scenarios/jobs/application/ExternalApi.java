package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobResult;

/** The external API that does a job's work, as the processor needs it. An adapter implements it; Main picks which. */
@FunctionalInterface
public interface ExternalApi {

    /**
     * Sends one job. Blocks until the API answers, fails, or the adapter's own time-out passes.
     *
     * @throws ApiException         if the API failed the job, refused it or did not answer in time
     * @throws InterruptedException if the calling thread is interrupted while it waits: the call is abandoned, and
     *                              nothing of it runs on after this method has thrown
     */
    JobResult process(Job job) throws ApiException, InterruptedException;
}
