package workshop.scenarios.jobs.domain;

import java.util.Objects;

/**
 * What the external API answered for a job: the value to store, keyed by the job's id.
 *
 * @param id    the job's id
 * @param value the answer
 */
public record JobResult(JobId id, String value) {

    public JobResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
    }
}
