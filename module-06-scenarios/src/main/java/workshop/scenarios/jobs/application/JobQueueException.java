package workshop.scenarios.jobs.application;

/** The durable queue failed (its database is gone, a statement failed): not a job's failure, the processor's. */
public final class JobQueueException extends RuntimeException {

    public JobQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
