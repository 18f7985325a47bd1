package workshop.scenarios.deploy.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the catalog the service serves from its warm cache.
 *
 * @param id    what {@code GET /items/{id}} names it by: 1 to 64 of {@code A-Z a-z 0-9 _ -}
 * @param title what the service answers about it
 */
public record Item(String id, String title) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Item {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not an item id: " + id);
        }
        Objects.requireNonNull(title, "title");
    }

    /** Whether {@code id} may name an item (a request for any other id is a bad request, not a miss). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
