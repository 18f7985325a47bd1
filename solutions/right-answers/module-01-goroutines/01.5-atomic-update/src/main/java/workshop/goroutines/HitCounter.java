// Right answer for 01.5: AtomicInteger.updateAndGet with the seam in the function (re-run on contention)
package workshop.goroutines;

import java.util.concurrent.atomic.*;

public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private final AtomicInteger hits = new AtomicInteger();
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void hit() { hits.updateAndGet(seen -> { betweenReadAndWrite.run(); return seen + 1; }); }
    public int hits() { return hits.get(); }
}
