// Right answer for 01.5: an AtomicInteger in a compareAndSet loop, the seam between get and compareAndSet
package workshop.goroutines;

import java.util.concurrent.atomic.*;

public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private final AtomicInteger hits = new AtomicInteger();
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void hit() { int seen; do { seen = hits.get(); betweenReadAndWrite.run(); } while (!hits.compareAndSet(seen, seen + 1)); }
    public int hits() { return hits.get(); }
}
