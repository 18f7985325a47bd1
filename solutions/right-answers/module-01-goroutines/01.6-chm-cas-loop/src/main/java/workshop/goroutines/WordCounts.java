// Right answer for 01.6: a ConcurrentHashMap CAS loop: putIfAbsent and replace(key, old, new)
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

public final class WordCounts {
    private final Runnable betweenReadAndWrite;
    private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>();
    public WordCounts() { this(() -> { }); }
    WordCounts(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void add(String w) {
        while (true) {
            Integer seen = counts.get(w);
            betweenReadAndWrite.run();
            if (seen == null ? counts.putIfAbsent(w, 1) == null : counts.replace(w, seen, seen + 1)) return;
        }
    }
    public int count(String w) { return counts.getOrDefault(w, 0); }
}
