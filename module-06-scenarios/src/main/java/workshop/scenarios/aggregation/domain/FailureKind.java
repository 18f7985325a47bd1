package workshop.scenarios.aggregation.domain;

/** Why no page is served. */
public enum FailureKind {
    /** A required downstream knows no such product. */
    NOT_FOUND,
    /** A required downstream failed. */
    UNAVAILABLE,
    /** A required downstream did not answer within its budget. */
    TIMED_OUT
}
