package workshop.scenarios.aggregation.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A product's id as the outside world spells it: 1 to 40 characters among {@code a-z}, {@code 0-9} and {@code -}.
 *
 * @param value the id, valid
 */
public record ProductId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9-]{1,40}");

    /** @throws IllegalArgumentException if {@code value} is not a valid id */
    public ProductId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("not a product id: \"" + value + "\" (1 to 40 of a-z, 0-9, -)");
        }
    }

    /** Whether {@code value} is a valid id, so that a caller can refuse it without catching. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
