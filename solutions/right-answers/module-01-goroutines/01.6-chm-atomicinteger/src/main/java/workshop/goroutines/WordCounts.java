// Right answer for 01.6: a ConcurrentHashMap of AtomicIntegers, each in a compareAndSet loop
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

public final class WordCounts {
    private final Runnable betweenReadAndWrite;
    private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    public WordCounts() { this(() -> { }); }
    WordCounts(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void add(String w) { AtomicInteger c = counts.computeIfAbsent(w, k -> new AtomicInteger()); int seen; do { seen = c.get(); betweenReadAndWrite.run(); } while (!c.compareAndSet(seen, seen + 1)); }
    public int count(String w) { AtomicInteger c = counts.get(w); return c == null ? 0 : c.get(); }
}
