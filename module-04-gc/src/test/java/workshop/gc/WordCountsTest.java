package workshop.gc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.gc.WordCounts.Level;
import workshop.support.memory.Allocations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@Tag("04.1")
@DisplayName("04.1 An allocation budget for a hot path")
class WordCountsTest {

    /**
     * Bytes per call a correct answer stays under even in the interpreter (it allocates nothing per call on a known
     * word); a boxed count ({@code Long}, 16 to 24 bytes) or a key built per call misses it with every compiler.
     */
    private static final double BUDGET = 8.0;

    /** Calls per measured round; {@link Allocations#bytesPerOp} measures {@value Allocations#ROUNDS} rounds. */
    private static final int OPS_PER_ROUND = 20_000;

    /** One word at one level: the unit the hot path counts. */
    private record Entry(Level level, String word) {
    }

    /**
     * Records every entry {@code warmUp} times, then measures the bytes per {@code record()} over
     * {@link Allocations#ROUNDS} rounds of {@link #OPS_PER_ROUND} calls that cycle through the entries; returns the
     * least bytes per call of a round. Every entry is recorded {@code ROUNDS * OPS_PER_ROUND / entries.size()} more
     * times in the measurement.
     */
    private static double bytesPerRecord(WordCounts counts, List<Entry> entries, int warmUp) {
        Level[] levels = entries.stream().map(Entry::level).toArray(Level[]::new);
        String[] words = entries.stream().map(Entry::word).toArray(String[]::new);
        for (int round = 0; round < warmUp; round++) {
            for (int i = 0; i < words.length; i++) {
                counts.record(levels[i], words[i]);
            }
        }
        int[] next = {0};
        return Allocations.bytesPerOp("04.1", OPS_PER_ROUND, () -> {
            int i = next[0];
            counts.record(levels[i], words[i]);
            next[0] = i + 1 == words.length ? 0 : i + 1;
        });
    }

    private static void assertCounts(WordCounts counts, List<Entry> entries, long expected) {
        List<String> wrong = new ArrayList<>();
        for (Entry entry : entries) {
            long seen = counts.count(entry.level(), entry.word());
            if (seen != expected && wrong.size() < 5) {
                wrong.add(entry.level() + " \"" + entry.word() + "\": " + seen);
            }
        }
        assertThat(wrong).as("[04.1] every word was recorded %d times at its level, but count() says otherwise for "
                + "%s (README 04.1)", expected, wrong).isEmpty();
    }

    private static void assertWithinBudget(double bytesPerCall, String situation) {
        assertThat(bytesPerCall).as("[04.1] expected at most %.0f bytes per record() %s, measured %.1f (the least of "
                + "%d rounds of %,d calls): is a count boxed on every call (a Long above 127 is a new object), or is "
                + "an object (a key, a holder) made per call? (README 04.1)",
                BUDGET, situation, bytesPerCall, Allocations.ROUNDS, OPS_PER_ROUND).isLessThanOrEqualTo(BUDGET);
    }

    @Nested
    @DisplayName("once every word is known")
    class OnceKnown {

        @Test
        @DisplayName("record() allocates at most 8 bytes per call on a thousand words, and counts each one right")
        void recordAllocatesNothingForKnownWords() {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                // each word at two levels: the same word counts apart per level
                String word = "word" + i / 2;
                entries.add(new Entry(Level.values()[(i / 2 + i % 2) % Level.values().length], word));
            }
            WordCounts counts = new WordCounts();

            double bytesPerCall = bytesPerRecord(counts, entries, 200);

            long measured = (long) Allocations.ROUNDS * OPS_PER_ROUND / entries.size();
            assertCounts(counts, entries, 200 + measured);
            assertThat(counts.count(Level.INFO, "never recorded")).as("[04.1] count() of a word never recorded "
                    + "(README 04.1)").isZero();
            assertWithinBudget(bytesPerCall, "on words recorded 200 times or more");
        }

        @Test
        @DisplayName("record() stays within the budget when the counts pass a hundred thousand, and counts right")
        void recordStaysWithinBudgetForLargeCounts() {
            List<Entry> entries = List.of(new Entry(Level.DEBUG, "gc"), new Entry(Level.INFO, "pause"),
                    new Entry(Level.WARN, "heap"), new Entry(Level.ERROR, "oom"));
            WordCounts counts = new WordCounts();

            double bytesPerCall = bytesPerRecord(counts, entries, 300_000);

            long measured = (long) Allocations.ROUNDS * OPS_PER_ROUND / entries.size();
            assertCounts(counts, entries, 300_000 + measured);
            assertWithinBudget(bytesPerCall, String.format("on counts between 300,000 and %,d (a cache of boxed "
                    + "counts runs out long before)", 300_000 + measured));
        }
    }

    @Test
    @DisplayName("snapshot(level) is an unmodifiable copy of that level's counts that later records do not change")
    void snapshotIsACopy() {
        WordCounts counts = new WordCounts();
        for (int i = 0; i < 300; i++) {
            counts.record(Level.INFO, "gc");
        }
        counts.record(Level.INFO, "pause");
        counts.record(Level.WARN, "gc");

        Map<String, Long> snapshot = counts.snapshot(Level.INFO);

        assertThat(snapshot).as("[04.1] snapshot(INFO) after \"gc\" 300 times and \"pause\" once at INFO, \"gc\" once "
                + "at WARN (README 04.1)").isEqualTo(Map.of("gc", 300L, "pause", 1L));
        counts.record(Level.INFO, "gc");
        counts.record(Level.INFO, "young");
        assertThat(snapshot).as("[04.1] a snapshot changed after a later record(): it should be a copy as of the "
                + "call, not a view of the live counts (README 04.1)").isEqualTo(Map.of("gc", 300L, "pause", 1L));
        Throwable thrown = catchThrowable(() -> snapshot.put("gc", 0L));
        assertThat(thrown).as("[04.1] put() on a snapshot should throw UnsupportedOperationException: a snapshot is "
                + "unmodifiable (README 04.1)").isInstanceOf(UnsupportedOperationException.class);
        assertThat(counts.snapshot(Level.INFO)).as("[04.1] a second snapshot(INFO) after the later records "
                + "(README 04.1)").isEqualTo(Map.of("gc", 301L, "pause", 1L, "young", 1L));
    }
}
