package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.support.TimeLimit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("01.6")
@TimeLimit(seconds = 60) // a spin lock is correct but slow here: each holder waits out the rendezvous' safety net
@DisplayName("01.6 Lost updates on a shared map")
class WordCountsTest {

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    @DisplayName("threads that add the same word at the same moment lose no count")
    void threadsThatAddTheSameWordLoseNoCount(int threads) throws InterruptedException {
        ReadWriteRendezvous worstMoment = new ReadWriteRendezvous();
        WordCounts counts = new WordCounts(worstMoment);

        worstMoment.runTogether("01.6", threads, () -> counts.add("gopher"));

        assertThat(worstMoment.seamCalls())
                .as("[01.6] betweenReadAndWrite ran %d times for %d threads: keep the call between your read and your write, "
                    + "inside the atomic step (README 01.6, hint 3)", worstMoment.seamCalls(), threads)
                .isGreaterThanOrEqualTo(threads);
        assertThat(counts.count("gopher"))
                .as("[01.6] count of \"gopher\" after %d threads added it: expected %d, saw %d. A map that is safe to "
                    + "share does not make get-then-put atomic: update the entry in one step (README 01.6)",
                    threads, threads, counts.count("gopher"))
                .isEqualTo(threads);
    }
}
