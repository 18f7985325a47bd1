// Right answer for 01.5: synchronized hit() and hits()
package workshop.goroutines;



public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public synchronized void hit() { int seen = hits; betweenReadAndWrite.run(); hits = seen + 1; }
    public synchronized int hits() { return hits; }
}
