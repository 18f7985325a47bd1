// Right answer for 01.6: ConcurrentHashMap.compute with the seam in the function (the reference)
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

    public void add(String w) { counts.compute(w, (k, seen) -> { betweenReadAndWrite.run(); return seen == null ? 1 : seen + 1; }); }
    public int count(String w) { return counts.getOrDefault(w, 0); }
}
