package workshop.scenarios.aggregation.downstreams;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * What the simulated downstreams know, a pure function of the product id, so that tests and the lab can tell what
 * an answer must be without asking: products {@code p-1} to {@code p-}{@link #SIZE} exist (any other id is unknown
 * to all four downstreams: 404); every {@value #NO_REVIEWS_EVERY}th product has no reviews (404 from reviews); every
 * {@value #NO_RECOMMENDATIONS_EVERY}th has no recommendations (404 from recommendations). The values themselves are
 * made up from the product's number.
 */
public final class Catalogue {

    /** The number of products: {@code p-1} to {@code p-1000}. */
    public static final int SIZE = 1000;
    /** {@code p-10}, {@code p-20}, ... have no reviews. */
    public static final int NO_REVIEWS_EVERY = 10;
    /** {@code p-7}, {@code p-14}, ... have no recommendations (so {@code p-70} has neither). */
    public static final int NO_RECOMMENDATIONS_EVERY = 7;

    private static final List<String> WAREHOUSES = List.of("AMS", "FRA", "MAD", "WAW");

    private Catalogue() {
    }

    /** The product's number, when {@code id} is a product of the catalogue ({@code p-1} to {@code p-1000}). */
    public static OptionalInt number(String id) {
        if (id == null || !id.startsWith("p-") || id.length() > 6 || id.length() < 3 || id.charAt(2) == '0') {
            return OptionalInt.empty();
        }
        int n = 0;
        for (int i = 2; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
            n = n * 10 + (c - '0');
        }
        return n >= 1 && n <= SIZE ? OptionalInt.of(n) : OptionalInt.empty();
    }

    /** Whether the catalogue has this product (inventory and pricing answer 404 otherwise). */
    public static boolean knows(String id) {
        return number(id).isPresent();
    }

    /** Whether reviews answers 200 for this id. */
    public static boolean hasReviews(String id) {
        OptionalInt n = number(id);
        return n.isPresent() && n.getAsInt() % NO_REVIEWS_EVERY != 0;
    }

    /** Whether recommendations answers 200 for this id. */
    public static boolean hasRecommendations(String id) {
        OptionalInt n = number(id);
        return n.isPresent() && n.getAsInt() % NO_RECOMMENDATIONS_EVERY != 0;
    }

    /** Inventory's 200 body for product {@code n}. */
    static String inventory(int n) {
        return "{\"productId\":\"p-%d\",\"available\":%d,\"warehouse\":\"%s\"}".formatted(n, (n * 37) % 50,
                WAREHOUSES.get(n % WAREHOUSES.size()));
    }

    /** Pricing's 200 body for product {@code n}. */
    static String price(int n) {
        return "{\"productId\":\"p-%d\",\"amountCents\":%d,\"currency\":\"EUR\"}"
                .formatted(n, 499 + (n * 131) % 10_000);
    }

    /** Reviews' 200 body for product {@code n}. */
    static String reviews(int n) {
        return String.format(Locale.ROOT, "{\"productId\":\"p-%d\",\"averageStars\":%.1f,\"count\":%d}", n,
                1.0 + (n * 7 % 41) / 10.0, 1 + (n * 13) % 500);
    }

    /** Recommendations' 200 body for product {@code n}: the next three products. */
    static String recommendations(int n) {
        return "{\"productId\":\"p-%d\",\"productIds\":[\"p-%d\",\"p-%d\",\"p-%d\"]}".formatted(n, next(n, 1),
                next(n, 2), next(n, 3));
    }

    private static int next(int n, int k) {
        return (n - 1 + k) % SIZE + 1;
    }
}
