// Right answer for 01.5: an AtomicIntegerFieldUpdater on a volatile int
package workshop.goroutines;

import java.util.concurrent.atomic.*;

public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private static final AtomicIntegerFieldUpdater<HitCounter> HITS = AtomicIntegerFieldUpdater.newUpdater(HitCounter.class, "hits");
    private volatile int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void hit() { int seen; do { seen = hits; betweenReadAndWrite.run(); } while (!HITS.compareAndSet(this, seen, seen + 1)); }
    public int hits() { return hits; }
}
