// Right answer for 01.6: a HashMap behind a ReentrantReadWriteLock
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

public final class WordCounts {
    private final Runnable betweenReadAndWrite;
    private final Map<String, Integer> counts = new HashMap<>();
    private final ReadWriteLock rw = new ReentrantReadWriteLock();
    public WordCounts() { this(() -> { }); }
    WordCounts(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void add(String w) { rw.writeLock().lock(); try { Integer seen = counts.get(w); betweenReadAndWrite.run(); counts.put(w, seen == null ? 1 : seen + 1); } finally { rw.writeLock().unlock(); } }
    public int count(String w) { rw.readLock().lock(); try { return counts.getOrDefault(w, 0); } finally { rw.readLock().unlock(); } }
}
