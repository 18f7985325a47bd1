package workshop.scenarios.jobs.domain;

import java.util.Objects;

/**
 * A job's id, given by whoever enqueued it; the key that makes a result count once.
 *
 * @param value the id: 1 to 64 characters, no whitespace
 */
public record JobId(String value) {

    /** @throws IllegalArgumentException if {@code value} is empty, longer than 64 characters or holds whitespace */
    public JobId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 64 || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("not a job id: \"" + value + "\" (1 to 64 characters, no whitespace)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
