package workshop.goroutines;

import java.util.HashMap;
import java.util.Map;

/**
 * Exercise 01.6: Lost updates on a shared map
 *
 * <p>Many threads count words into one map and counts come out low. Make {@link #add(String)} lose none.
 *
 * <pre>{@code
 * counts[word]++    // in many goroutines: "fatal error: concurrent map writes"
 * mu.Lock(); counts[word]++; mu.Unlock()
 * }</pre>
 *
 * <p>Go stops the program; Java's {@code HashMap} corrupts itself silently. The tests use
 * {@code betweenReadAndWrite} to pause a thread exactly where a preemption hurts most.
 */
public final class WordCounts {

    private final Runnable betweenReadAndWrite;
    private final Map<String, Integer> counts = new HashMap<>();

    public WordCounts() {
        this(() -> { });
    }

    /**
     * @param betweenReadAndWrite runs after a word's count was read and before the new count is written; a solution
     *                            keeps that call between its read and its write, inside whatever makes them one step
     */
    WordCounts(Runnable betweenReadAndWrite) {
        this.betweenReadAndWrite = betweenReadAndWrite;
    }

    /** Counts one occurrence of {@code word}. Safe to call from many threads at once. */
    public void add(String word) {
        // TODO 01.6: a map that is safe to share is not enough if the read and the write are two steps
        Integer seen = counts.get(word);
        betweenReadAndWrite.run();
        counts.put(word, seen == null ? 1 : seen + 1);
    }

    /**
     * How often {@code word} was added so far.
     *
     * <p>Memory consistency effects: every {@link #add(String)} that returned before this call started is counted.
     */
    public int count(String word) {
        return counts.getOrDefault(word, 0);
    }
}
