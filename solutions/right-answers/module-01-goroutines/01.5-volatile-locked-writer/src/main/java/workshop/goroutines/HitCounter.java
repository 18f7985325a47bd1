// Right answer for 01.5: a volatile int written under a lock, read without one
package workshop.goroutines;



public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private volatile int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public synchronized void hit() { int seen = hits; betweenReadAndWrite.run(); hits = seen + 1; }
    public int hits() { return hits; }
}
