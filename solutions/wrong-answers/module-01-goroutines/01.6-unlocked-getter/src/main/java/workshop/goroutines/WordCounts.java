// Wrong answer for 01.6: add() is synchronized, but count() reads the HashMap without the lock
package workshop.goroutines;

import java.util.HashMap;
import java.util.Map;

/**
 * Exercise 01.6: Lost updates on a shared map
 */
public final class WordCounts {

    private final Runnable betweenReadAndWrite;
    private final Map<String, Integer> counts = new HashMap<>();

    public WordCounts() {
        this(() -> { });
    }

    WordCounts(Runnable betweenReadAndWrite) {
        this.betweenReadAndWrite = betweenReadAndWrite;
    }

    public synchronized void add(String word) {
        Integer seen = counts.get(word);
        betweenReadAndWrite.run();
        counts.put(word, seen == null ? 1 : seen + 1);
    }

    public int count(String word) {
        return counts.getOrDefault(word, 0); // no lock: "it is only a read"
    }
}
