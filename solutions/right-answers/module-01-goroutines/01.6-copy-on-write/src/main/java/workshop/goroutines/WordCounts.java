// Right answer for 01.6: copy-on-write: a volatile immutable map replaced under a lock
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

public final class WordCounts {
    private final Runnable betweenReadAndWrite;
    private volatile Map<String, Integer> counts = Map.of();
    public WordCounts() { this(() -> { }); }
    WordCounts(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public synchronized void add(String w) { Integer seen = counts.get(w); betweenReadAndWrite.run(); Map<String, Integer> copy = new HashMap<>(counts); copy.put(w, seen == null ? 1 : seen + 1); counts = copy; }
    public int count(String w) { return counts.getOrDefault(w, 0); }
}
