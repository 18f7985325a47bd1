package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;

/**
 * What a worker of the pool does with one job it took from the queue. The pool calls it on its own threads, one job
 * per call, many calls at once.
 */
@FunctionalInterface
public interface JobWorker {

    /**
     * Handles one job to its end: its result stored, a retry scheduled, or the job dead-lettered. Blocks while it
     * works.
     *
     * @throws InterruptedException if the calling thread is interrupted while it works: nothing of the attempt is
     *                              recorded, and the job stays leased (its lease expires, or a shutdown releases it)
     */
    void handle(Job job) throws InterruptedException;
}
