// Right answer for 01.6: Collections.synchronizedMap, its own lock held across get and put, count() unlocked
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

public final class WordCounts {
    private final Runnable betweenReadAndWrite;
    private final Map<String, Integer> counts = Collections.synchronizedMap(new HashMap<>());
    public WordCounts() { this(() -> { }); }
    WordCounts(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void add(String w) { synchronized (counts) { Integer seen = counts.get(w); betweenReadAndWrite.run(); counts.put(w, seen == null ? 1 : seen + 1); } }
    public int count(String w) { return counts.getOrDefault(w, 0); }
}
