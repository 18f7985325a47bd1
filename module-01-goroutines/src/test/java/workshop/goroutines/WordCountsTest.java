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

@Tag("01.6")
@TimeLimit(seconds = 60) // a lock whose waiters sleep in a loop is correct but slow here: it waits out the safety net
@DisplayName("01.6 Lost updates on a shared map")
class WordCountsTest {

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    @DisplayName("threads that add the same word at the same moment lose no count")
    void threadsThatAddTheSameWordLoseNoCount(int threads) throws InterruptedException {
        ReadWriteRendezvous worstMoment = new ReadWriteRendezvous(WordCounts.class);
        WordCounts counts = new WordCounts(worstMoment);

        worstMoment.runTogether("01.6", threads, () -> counts.add("gopher"));

        assertThat(worstMoment.seamCalls())
                .as("[01.6] betweenReadAndWrite ran %d times for %d threads: every add must call it between reading the "
                    + "word's count (absent counts as read) and writing the new one, inside the atomic step; merge() "
                    + "does not call its function for an absent word, compute() always does (README 01.6, hint 3)",
                    worstMoment.seamCalls(), threads)
                .isGreaterThanOrEqualTo(threads);
        assertThat(counts.count("gopher"))
                .as("[01.6] count of \"gopher\" after %d threads added it: expected %d, saw %d. One thread was paused "
                    + "between its get and its put while the others added the word; then it put the count it had read "
                    + "before theirs. A map that is safe to share does not make get-then-put atomic: update the entry "
                    + "in one step (README 01.6)", threads, threads, counts.count("gopher"))
                .isEqualTo(threads);
        assertThat(worstMoment.othersFinishedWhileHeld() > 0 && worstMoment.holderSeamCalls() == 1)
                .as("[01.6] while one thread was paused in betweenReadAndWrite, %d other thread(s) added the word; the "
                    + "paused thread then finished without calling betweenReadAndWrite again, so it read the count after "
                    + "that call, not before it. Keep the call between your read and your write, inside the step that "
                    + "makes them atomic: in compute()'s function, or inside your lock (README 01.6, hint 3)",
                    worstMoment.othersFinishedWhileHeld())
                .isFalse();
    }

    @Test
    @DisplayName("reads the counts only where the latest add is sure to be visible")
    void readsTheCountsOnlyWhereTheLatestAddIsSureToBeVisible() {
        Runnable seam = () -> { };
        var unsafe = SharedStateReads.of(WordCounts.class, new WordCounts(seam), seam);

        assertThat(unsafe)
                .as("[01.6] WordCounts reads shared state where another thread's latest write need not be visible "
                    + "(Java memory model: no happens-before edge from that write to this read; a HashMap read during "
                    + "another thread's resize can even see a broken table; Go's `go test -race` would report it):%n%s%n"
                    + "Read under the same lock as the write, or keep the counts in a map that is safe to share, such "
                    + "as ConcurrentHashMap (README 01.5, why one test reads your code)",
                    unsafe.stream().map(read -> "  - " + read).collect(Collectors.joining("\n")))
                .isEmpty();
    }
}
