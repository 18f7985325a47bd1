package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;

/**
 * Handles one leased job to its end: its result stored, a retry scheduled or the job dead-lettered, each through the
 * {@link JobQueue}. The worker pool calls it on one of its threads, one job at a time per thread.
 */
@FunctionalInterface
public interface JobWorker {

    /**
     * Handles {@code job} to its end. Blocks for as long as the job takes (an external API call, a database write).
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits (a shutdown past its deadline):
     *                              the job is left leased, and its lease expires or the shutdown releases it; nothing
     *                              of the job runs on after this method has thrown
     */
    void handle(Job job) throws InterruptedException;
}
