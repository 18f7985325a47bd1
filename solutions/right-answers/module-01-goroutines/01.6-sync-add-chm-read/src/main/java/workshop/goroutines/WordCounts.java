// Right answer for 01.6: synchronized add() on a ConcurrentHashMap, count() unlocked
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

public final class WordCounts {
    private final Runnable betweenReadAndWrite;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    public WordCounts() { this(() -> { }); }
    WordCounts(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public synchronized void add(String w) { Integer seen = counts.get(w); betweenReadAndWrite.run(); counts.put(w, seen == null ? 1 : seen + 1); }
    public int count(String w) { return counts.getOrDefault(w, 0); }
}
