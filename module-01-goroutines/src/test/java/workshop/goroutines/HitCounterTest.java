package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.support.TimeLimit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("01.5")
@TimeLimit(seconds = 60) // a spin lock is correct but slow here: each holder waits out the rendezvous' safety net
@DisplayName("01.5 Lost updates on a shared counter")
class HitCounterTest {

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    @DisplayName("threads that hit at the same moment lose no hit")
    void threadsThatHitAtTheSameMomentLoseNoHit(int threads) throws InterruptedException {
        ReadWriteRendezvous worstMoment = new ReadWriteRendezvous();
        HitCounter counter = new HitCounter(worstMoment);

        worstMoment.runTogether("01.5", threads, counter::hit);

        assertThat(worstMoment.seamCalls())
                .as("[01.5] betweenReadAndWrite ran %d times for %d threads: keep the call between your read and your write, "
                    + "inside the atomic step (README 01.5, hint 3)", worstMoment.seamCalls(), threads)
                .isGreaterThanOrEqualTo(threads);
        assertThat(counter.hits())
                .as("[01.5] hits counted by %d threads: expected %d, saw %d. They all read the same count before any "
                    + "wrote it back: make the read and the write one atomic step (README 01.5)",
                    threads, threads, counter.hits())
                .isEqualTo(threads);
    }
}
