package workshop.scenarios.jobs.domain;

import java.util.Objects;

/**
 * One job as the queue delivers it.
 *
 * @param id       the job's id
 * @param payload  what to send to the external API
 * @param failures how many attempts have failed so far: 0 on the first delivery, also after a crash or a release
 *                 (an attempt that never ended is not a failure)
 */
public record Job(JobId id, String payload, int failures) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
        if (failures < 0) {
            throw new IllegalArgumentException("failures < 0: " + failures);
        }
    }
}
