// Wrong answer for 01.6: the seam runs before the get, and get-then-put stays racy
package workshop.goroutines;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Exercise 01.6: Lost updates on a shared map
 */
public final class WordCounts {

    private final Runnable betweenReadAndWrite;
    private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>();

    public WordCounts() {
        this(() -> { });
    }

    WordCounts(Runnable betweenReadAndWrite) {
        this.betweenReadAndWrite = betweenReadAndWrite;
    }

    public void add(String word) {
        betweenReadAndWrite.run();
        Integer seen = counts.get(word);
        counts.put(word, seen == null ? 1 : seen + 1);
    }

    public int count(String word) {
        return counts.getOrDefault(word, 0);
    }
}
