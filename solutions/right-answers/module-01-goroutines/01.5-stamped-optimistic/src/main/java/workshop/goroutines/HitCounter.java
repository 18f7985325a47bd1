// Right answer for 01.5: a StampedLock: write lock in hit(), an optimistic read validated in hits()
package workshop.goroutines;

import java.util.concurrent.locks.*;

public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private final StampedLock sl = new StampedLock();
    private int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void hit() { long s = sl.writeLock(); try { int seen = hits; betweenReadAndWrite.run(); hits = seen + 1; } finally { sl.unlockWrite(s); } }
    public int hits() { long s = sl.tryOptimisticRead(); int h = hits; if (!sl.validate(s)) { s = sl.readLock(); try { h = hits; } finally { sl.unlockRead(s); } } return h; }
}
