package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.support.TimeLimit;
import workshop.support.memory.SharedStateReads;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("01.5")
@TimeLimit(seconds = 60) // a lock whose waiters sleep in a loop is correct but slow here: it waits out the safety net
@DisplayName("01.5 Lost updates on a shared counter")
class HitCounterTest {

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    @DisplayName("threads that hit at the same moment lose no hit")
    void threadsThatHitAtTheSameMomentLoseNoHit(int threads) throws InterruptedException {
        ReadWriteRendezvous worstMoment = new ReadWriteRendezvous(HitCounter.class);
        HitCounter counter = new HitCounter(worstMoment);

        worstMoment.runTogether("01.5", threads, counter::hit);

        assertThat(worstMoment.seamCalls())
                .as("[01.5] betweenReadAndWrite ran %d times for %d threads: every hit() must call it between its read "
                    + "and its write, inside the atomic step (README 01.5, hint 3)", worstMoment.seamCalls(), threads)
                .isGreaterThanOrEqualTo(threads);
        assertThat(counter.hits())
                .as("[01.5] hits counted by %d threads: expected %d, saw %d. One thread was paused between its read and "
                    + "its write while the others counted their hits; then it wrote back the count it had read before "
                    + "theirs. Make the read and the write one atomic step (README 01.5)",
                    threads, threads, counter.hits())
                .isEqualTo(threads);
        assertThat(worstMoment.othersFinishedWhileHeld() > 0 && worstMoment.holderSeamCalls() == 1)
                .as("[01.5] while one thread was paused in betweenReadAndWrite, %d other thread(s) counted a whole hit; "
                    + "the paused thread then finished without calling betweenReadAndWrite again, so it read the count "
                    + "after that call, not before it. Keep the call between your read and your write: with a lock, "
                    + "inside it; with a compareAndSet loop, between get and compareAndSet, so that a failed "
                    + "compareAndSet reads and calls it again. A single atomic call (incrementAndGet, LongAdder) has no "
                    + "read to put it after (README 01.5, hint 3)", worstMoment.othersFinishedWhileHeld())
                .isFalse();
    }

    @Test
    @DisplayName("reads the count only where the latest hit is sure to be visible")
    void readsTheCountOnlyWhereTheLatestHitIsSureToBeVisible() {
        Runnable seam = () -> { };
        var unsafe = SharedStateReads.of(HitCounter.class, new HitCounter(seam), seam);

        assertThat(unsafe)
                .as("[01.5] HitCounter reads shared state where another thread's latest write need not be visible "
                    + "(Java memory model: no happens-before edge from that write to this read, so the read may see a "
                    + "stale count; Go's `go test -race` would report it):%n%s%nRead under the same lock as the write, "
                    + "or keep the count in a volatile field or an atomic (README 01.5, why one test reads your code)",
                    unsafe.stream().map(read -> "  - " + read).collect(Collectors.joining("\n")))
                .isEmpty();
    }
}
