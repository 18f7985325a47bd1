package workshop.gc;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Exercise 04.1: An allocation budget for a hot path
 *
 * <p>A log processor counts every word of every line, per log level: millions of calls a second. It works, and
 * every call past the 127th of a word leaves garbage behind. Make {@link #record} allocate nothing once a word is
 * known, and keep the counts and the snapshots right.
 *
 * <pre>{@code
 * counts := map[Level]map[string]int{}   // an int is stored in the map itself: counts[level][word]++ allocates nothing
 * counts[level][word]++
 * }</pre>
 *
 * <p>Not safe for use by several threads at once: like a {@code HashMap}, one instance belongs to one thread (a
 * parser's), which hands snapshots to others.
 */
public final class WordCounts {

    /** The level of the log line a word comes from. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** A count that is changed in place: the map's value never changes, so nothing is boxed per call. */
    private static final class Counter {
        long value;
    }

    private final Map<Level, Map<String, Counter>> counts = new EnumMap<>(Level.class);

    public WordCounts() {
        for (Level level : Level.values()) {
            counts.put(level, new HashMap<>());
        }
    }

    /**
     * Counts one occurrence of {@code word} in a line of {@code level}. The tokenizer hands words already normalised
     * (lower case, no surrounding blanks): count them exactly as they are.
     *
     * <p>The hot path: once {@code word} has been recorded at {@code level} before, a call allocates nothing, whatever
     * its count.
     */
    public void record(Level level, String word) {
        Map<String, Counter> ofLevel = counts.get(level);
        Counter counter = ofLevel.get(word);
        if (counter == null) { // the first time only: a map node and a counter
            counter = new Counter();
            ofLevel.put(word, counter);
        }
        counter.value++;
    }

    /** How often {@code word} was recorded at {@code level}; 0 if never. */
    public long count(Level level, String word) {
        Counter counter = counts.get(level).get(word);
        return counter == null ? 0 : counter.value;
    }

    /**
     * The words recorded at {@code level} and their counts, as of this call: an unmodifiable copy that later records do
     * not change, which another thread may read.
     */
    public Map<String, Long> snapshot(Level level) {
        Map<String, Counter> ofLevel = counts.get(level);
        Map<String, Long> copy = HashMap.newHashMap(ofLevel.size());
        ofLevel.forEach((word, counter) -> copy.put(word, counter.value)); // boxed here, off the hot path
        return Map.copyOf(copy);
    }
}
