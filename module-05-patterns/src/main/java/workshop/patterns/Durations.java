package workshop.patterns;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}, ported line by line: the function that exercise 05.11's test (the one you write,
 * {@code src/test/java/workshop/patterns/DurationsTableTest.java}) checks. It is correct; do not change it.
 *
 * <p>A duration is an optional sign and one or more parts, each a decimal number with an optional fraction and a
 * unit: {@code "300ms"}, {@code "-1.5h"}, {@code "2h45m"}. Units: {@code ns}, {@code us} (or {@code µs}, U+00B5, or
 * {@code μs}, U+03BC), {@code ms}, {@code s}, {@code m}, {@code h}. {@code "0"} needs no unit. As in Go, a duration is
 * a signed 64-bit count of nanoseconds: about ±292 years, and anything beyond is an error, not a wrap-around.
 */
public final class Durations {

    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63); // 2^63 ns: -LIMIT is the smallest duration

    private Durations() {
    }

    /**
     * Parses a duration as Go's {@code time.ParseDuration} does (fractions of a unit are exact to the nanosecond up to
     * Go's floating-point rounding, as in Go).
     *
     * @throws IllegalArgumentException if {@code s} is not a duration, has a part without a unit or with an unknown
     *                                  one, or is out of range
     */
    public static Duration parse(String s) {
        String orig = s;
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid("invalid duration", orig);
        }
        BigInteger total = BigInteger.ZERO;
        while (!s.isEmpty()) {
            int i = digits(s, 0); // [0-9]*
            boolean pre = i > 0;
            BigInteger v = pre ? new BigInteger(s.substring(0, i)) : BigInteger.ZERO;
            long f = 0; // the fraction is f / scale: the digits that fit in a long, as in Go
            double scale = 1;
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') { // (\.[0-9]*)?
                int end = digits(s, ++i);
                post = end > i;
                for (; i < end; i++) {
                    if (f <= (Long.MAX_VALUE - 9) / 10) {
                        f = f * 10 + (s.charAt(i) - '0');
                        scale *= 10;
                    }
                }
            }
            if (!pre && !post) {
                throw invalid("invalid duration", orig); // no digits, e.g. ".s" or "-.s"
            }
            int u = i;
            while (u < s.length() && s.charAt(u) != '.' && (s.charAt(u) < '0' || s.charAt(u) > '9')) {
                u++;
            }
            if (u == i) {
                throw invalid("missing unit in duration", orig);
            }
            Long unit = UNITS.get(s.substring(i, u));
            if (unit == null) {
                throw invalid("unknown unit \"" + s.substring(i, u) + "\" in duration", orig);
            }
            v = v.multiply(BigInteger.valueOf(unit)).add(BigInteger.valueOf((long) (f * (unit / scale))));
            total = total.add(v);
            if (total.compareTo(LIMIT) > 0) {
                throw invalid("invalid duration", orig); // overflow
            }
            s = s.substring(u);
        }
        if (!neg && total.equals(LIMIT)) {
            throw invalid("invalid duration", orig); // 2^63 ns fits only as a negative duration
        }
        return Duration.ofNanos((neg ? total.negate() : total).longValueExact());
    }

    private static int digits(String s, int from) {
        while (from < s.length() && s.charAt(from) >= '0' && s.charAt(from) <= '9') {
            from++;
        }
        return from;
    }

    private static IllegalArgumentException invalid(String what, String orig) {
        return new IllegalArgumentException("time: " + what + " \"" + orig + "\"");
    }
}
