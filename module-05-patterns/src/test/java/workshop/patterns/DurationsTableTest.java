package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.util.stream.Stream;

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

    /** The table: an input, and the duration it means. */
    static Stream<Arguments> durations() {
        return Stream.of(
                arguments("300ms", Duration.ofMillis(300))
                // TODO 05.11: the cases that would catch a broken parse (and a table of inputs it must reject)
        );
    }

    @ParameterizedTest(name = "parse(\"{0}\") is {1}")
    @MethodSource("durations")
    void parses(String input, Duration want) {
        // TODO 05.11: assert what parse returns for the input
        throw new NotSolvedYet("05.11");
    }
}
