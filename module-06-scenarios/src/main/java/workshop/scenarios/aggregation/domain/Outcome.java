package workshop.scenarios.aggregation.domain;

import java.util.Objects;

/**
 * What one downstream call came to, as the use case saw it: a value, an answer that there is no such product, a
 * failure, or no answer within the call's budget.
 *
 * @param <T> the part's value type
 */
public sealed interface Outcome<T> {

    /** The downstream answered with a value. */
    record Ok<T>(T value) implements Outcome<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The downstream answered that it knows no such product (an answer, not a failure). */
    record NotFound<T>() implements Outcome<T> { }

    /** The downstream failed: an error status, a broken connection, a rejected call (an open breaker). */
    record Failed<T>(String reason) implements Outcome<T> {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The downstream did not answer within the call's budget; the call was cut. */
    record Late<T>() implements Outcome<T> { }
}
