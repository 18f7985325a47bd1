package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.stream.Stream;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofNanos;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Exercise 05.11: A test that bites
 *
 * <p>Write a table-driven test of {@link Durations#parse} (Go's {@code time.ParseDuration}, given and correct): it
 * must pass on it, and fail on each of several broken versions that the build runs it against and you do not see.
 *
 * <pre>{@code
 * var parseDurationTests = []struct {
 *     in   string
 *     want time.Duration
 * }{
 *     {"0", 0},
 *     {"5s", 5 * time.Second},
 *     {"-1.5h", -(time.Hour + 30*time.Minute)},
 *     // ...
 * }
 *
 * func TestParseDuration(t *testing.T) {
 *     for _, tc := range parseDurationTests {
 *         d, err := time.ParseDuration(tc.in)
 *         if err != nil || d != tc.want {
 *             t.Errorf("ParseDuration(%q) = %v, %v, want %v, nil", tc.in, d, err, tc.want)
 *         }
 *     }
 * }
 * }</pre>
 */
@Tag("05.11")
@DisplayName("05.11 A test that bites: your table")
class DurationsTableTest {

    /** The table: an input, and the duration it means (most rows from Go's own table for ParseDuration). */
    static Stream<Arguments> durations() {
        return Stream.of(
                // simple, and signs
                arguments("0", Duration.ZERO),
                arguments("5s", ofSeconds(5)),
                arguments("1478s", ofSeconds(1478)),
                arguments("-5s", ofSeconds(-5)),
                arguments("+5s", ofSeconds(5)),
                arguments("-0", Duration.ZERO),
                // fractions
                arguments("5.6s", ofMillis(5600)),
                arguments("5.s", ofSeconds(5)),
                arguments(".5s", ofMillis(500)),
                arguments("1.004s", ofMillis(1004)),
                arguments("100.00100s", ofMillis(100_001)),
                arguments("-1.5h", ofMinutes(-90)),
                // every unit, each spelling of microseconds
                arguments("10ns", ofNanos(10)),
                arguments("11us", ofNanos(11_000)),
                arguments("12µs", ofNanos(12_000)), // U+00B5 micro sign
                arguments("12μs", ofNanos(12_000)), // U+03BC Greek small letter mu
                arguments("13ms", ofMillis(13)),
                arguments("15m", ofMinutes(15)),
                arguments("16h", ofHours(16)),
                // several parts
                arguments("2h45m", ofMinutes(165)),
                arguments("10.5s4m", ofMinutes(4).plusMillis(10_500)),
                arguments("-2m3.4s", ofMillis(-123_400)),
                arguments("1h2m3s4ms5us6ns", ofHours(1).plusMinutes(2).plusSeconds(3).plusNanos(4_005_006)),
                arguments("39h9m14.425s", ofMillis(140_954_425)),
                // the limits of a signed 64-bit count of nanoseconds
                arguments("9007199254740993ns", ofNanos((1L << 53) + 1)),
                arguments("9223372036854775807ns", ofNanos(Long.MAX_VALUE)),
                arguments("9223372036854775.807us", ofNanos(Long.MAX_VALUE)),
                arguments("-9223372036854775808ns", ofNanos(Long.MIN_VALUE)),
                arguments("-2562047h47m16.854775808s", ofNanos(Long.MIN_VALUE)),
                arguments("0.3333333333333333333h", ofMinutes(20)));
    }

    @ParameterizedTest(name = "parse(\"{0}\") is {1}")
    @MethodSource("durations")
    void parses(String input, Duration want) {
        assertThat(Durations.parse(input)).as("Durations.parse(\"%s\")", input).isEqualTo(want);
    }

    @ParameterizedTest(name = "parse(\"{0}\") is rejected")
    @ValueSource(strings = {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "1x", "2h45", "1.5.5s",
            "9223372036854775808ns", "9223372036854775.808us", "9223372036854ms775us808ns", "-9223372036854775809ns",
            "3000000h"})
    void rejects(String input) {
        assertThatThrownBy(() -> Durations.parse(input)).as("Durations.parse(\"%s\")", input)
                .isInstanceOf(IllegalArgumentException.class);
    }
}
