package workshop.patterns;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Exercise 05.11's hidden broken versions of {@link Durations}: the same code with one mistake each, chosen by
 * {@link #broken}. {@link TestThatBitesTest} loads this class under the name {@code workshop.patterns.Durations}
 * ({@link TestThatBitesLoader}), sets {@link #broken}, and runs the learner's table against it: the table must fail.
 *
 * <p>Self-contained on purpose (static members only, no lambdas, no nested classes): the loader renames the class and
 * its references to itself, and checks that no other reference to the old name is left.
 */
final class BrokenDurations {

    /** Which mistake: one of {@link TestThatBitesTest.Broken}'s names; set by reflection once loaded. */
    static String broken = "";

    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);

    private BrokenDurations() {
    }

    public static Duration parse(String s) {
        try {
            return parseOrThrow(s);
        } catch (IllegalArgumentException e) {
            if (broken.equals("INVALID_IS_ZERO")) {
                return Duration.ZERO; // the mistake: an error swallowed into a value
            }
            throw e;
        }
    }

    private static Duration parseOrThrow(String s) {
        String orig = s;
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-' && !broken.equals("NO_SIGN"); // the mistake: the sign is skipped, not applied
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
            int i = digits(s, 0);
            boolean pre = i > 0;
            BigInteger v = pre ? new BigInteger(s.substring(0, i)) : BigInteger.ZERO;
            long f = 0;
            double scale = 1;
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') {
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
                throw invalid("invalid duration", orig);
            }
            int u = i;
            while (u < s.length() && s.charAt(u) != '.' && (s.charAt(u) < '0' || s.charAt(u) > '9')) {
                u++;
            }
            if (u == i) {
                throw invalid("missing unit in duration", orig);
            }
            String name = s.substring(i, u);
            Long unit = broken.equals("NO_MICROSECONDS") && name.endsWith("s") && name.length() == 2
                    && "uµμ".indexOf(name.charAt(0)) >= 0 ? null : UNITS.get(name); // the mistake: a unit missing
            if (unit == null) {
                throw invalid("unknown unit \"" + name + "\" in duration", orig);
            }
            BigInteger fraction = broken.equals("FRACTION_DROPPED") ? BigInteger.ZERO // the mistake
                    : BigInteger.valueOf((long) (f * (unit / scale)));
            v = v.multiply(BigInteger.valueOf(unit)).add(fraction);
            total = broken.equals("LAST_PART_ONLY") ? v : total.add(v); // the mistake: each part replaces the last
            if (total.compareTo(LIMIT) > 0 && !broken.equals("OVERFLOW_WRAPS")) {
                throw invalid("invalid duration", orig);
            }
            s = s.substring(u);
        }
        if (broken.equals("OVERFLOW_WRAPS")) {
            return Duration.ofNanos((neg ? total.negate() : total).longValue()); // the mistake: wraps around
        }
        if (!neg && total.equals(LIMIT)) {
            throw invalid("invalid duration", orig);
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
