package workshop.scenarios.aggregation.domain;

/**
 * What reviewers think of a product.
 *
 * @param averageStars from 0 to 5
 * @param count        how many reviews, zero or more
 */
public record ReviewSummary(double averageStars, int count) {
    public ReviewSummary {
        if (!(averageStars >= 0 && averageStars <= 5) || count < 0) {
            throw new IllegalArgumentException("not a review summary: " + averageStars + " stars, " + count);
        }
    }
}
