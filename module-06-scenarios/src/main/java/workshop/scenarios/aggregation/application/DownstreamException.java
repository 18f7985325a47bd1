package workshop.scenarios.aggregation.application;

import workshop.scenarios.aggregation.domain.Part;

import java.util.Objects;

/** A downstream call that brought no value: the port's one failure type, whatever the adapter's transport. */
public final class DownstreamException extends Exception {

    /** What went wrong, in the port's terms. */
    public enum Kind {
        /** The downstream answered that it knows no such product. */
        NOT_FOUND,
        /** The downstream failed: an error status, a broken connection, an answer that could not be read. */
        FAILED,
        /** The downstream did not answer within the adapter's time-out. */
        TIMED_OUT,
        /** The call was not made: a breaker is open. */
        REJECTED
    }

    private final Part part;
    private final Kind kind;

    public DownstreamException(Part part, Kind kind, String message, Throwable cause) {
        super(part.label() + ": " + message, cause);
        this.part = Objects.requireNonNull(part, "part");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public DownstreamException(Part part, Kind kind, String message) {
        this(part, kind, message, null);
    }

    /** The downstream that failed. */
    public Part part() {
        return part;
    }

    /** How it failed. */
    public Kind kind() {
        return kind;
    }
}
