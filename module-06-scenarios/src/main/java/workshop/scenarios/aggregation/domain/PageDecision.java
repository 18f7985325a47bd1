package workshop.scenarios.aggregation.domain;

import java.util.Objects;

/** What to answer for a product: a page (maybe degraded), or a failure with its reason. */
public sealed interface PageDecision {

    /** Serve this page. */
    record Serve(ProductPage page) implements PageDecision {
        public Serve {
            Objects.requireNonNull(page, "page");
        }
    }

    /**
     * Serve no page.
     *
     * @param kind   why, in the domain's words (the server adapter maps it to a status code)
     * @param part   the required part whose outcome decided it
     * @param reason for people: logs and the error body
     */
    record Fail(FailureKind kind, Part part, String reason) implements PageDecision {
        public Fail {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(reason, "reason");
            if (!part.required()) {
                throw new IllegalArgumentException("an optional part never fails a page: " + part);
            }
        }
    }
}
