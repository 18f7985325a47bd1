package workshop.scenarios.aggregation.domain;

/**
 * The four parts of a product page, one per downstream. A required part missing fails the page; an optional one is
 * left out and the page says it is degraded.
 */
public enum Part {
    INVENTORY(true), PRICING(true), REVIEWS(false), RECOMMENDATIONS(false);

    private final boolean required;

    Part(boolean required) {
        this.required = required;
    }

    /** Whether a page can be served without this part. */
    public boolean required() {
        return required;
    }

    /** The part's name in JSON, metrics and logs: {@code inventory}, {@code pricing}, ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
