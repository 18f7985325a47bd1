// Right answer for 01.5: a Semaphore(1) as the lock
package workshop.goroutines;

import java.util.concurrent.*;

public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private final Semaphore permit = new Semaphore(1);
    private int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void hit() { permit.acquireUninterruptibly(); try { int seen = hits; betweenReadAndWrite.run(); hits = seen + 1; } finally { permit.release(); } }
    public int hits() { permit.acquireUninterruptibly(); try { return hits; } finally { permit.release(); } }
}
