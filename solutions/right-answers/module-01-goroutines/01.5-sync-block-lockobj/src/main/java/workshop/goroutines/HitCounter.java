// Right answer for 01.5: synchronized blocks on a private lock object
package workshop.goroutines;



public final class HitCounter {
    private final Runnable betweenReadAndWrite;
    private final Object lock = new Object();
    private int hits;
    public HitCounter() { this(() -> { }); }
    HitCounter(Runnable betweenReadAndWrite) { this.betweenReadAndWrite = betweenReadAndWrite; }

    public void hit() { synchronized (lock) { int seen = hits; betweenReadAndWrite.run(); hits = seen + 1; } }
    public int hits() { synchronized (lock) { return hits; } }
}
