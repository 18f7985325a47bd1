// Right answer for 01.5: a ReentrantReadWriteLock: the write lock in hit(), the read lock in hits()
package workshop.goroutines;

import java.util.concurrent.locks.*;

public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private final ReadWriteLock rw = new ReentrantReadWriteLock();
    private int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void hit() { rw.writeLock().lock(); try { int seen = hits; betweenReadAndWrite.run(); hits = seen + 1; } finally { rw.writeLock().unlock(); } }
    public int hits() { rw.readLock().lock(); try { return hits; } finally { rw.readLock().unlock(); } }
}
