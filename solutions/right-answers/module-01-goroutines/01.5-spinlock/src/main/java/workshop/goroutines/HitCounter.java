// Right answer for 01.5: a spin lock on an AtomicBoolean (slow under the test's hold, never wrong)
package workshop.goroutines;

import java.util.concurrent.atomic.*;

public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private final AtomicBoolean locked = new AtomicBoolean();
    private int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    private void lock() { while (!locked.compareAndSet(false, true)) Thread.onSpinWait(); }
    private void unlock() { locked.set(false); }
    public void hit() { lock(); try { int seen = hits; betweenReadAndWrite.run(); hits = seen + 1; } finally { unlock(); } }
    public int hits() { lock(); try { return hits; } finally { unlock(); } }
}
