// Wrong answer for 01.5: the seam runs before the read, and the read-then-write stays racy
package workshop.goroutines;

/**
 * Exercise 01.5: Lost updates on a shared counter
 */
public final class HitCounter {

    private final Runnable betweenReadAndWrite;
    private volatile int hits;

    public HitCounter() {
        this(() -> { });
    }

    HitCounter(Runnable betweenReadAndWrite) {
        this.betweenReadAndWrite = betweenReadAndWrite;
    }

    public void hit() {
        betweenReadAndWrite.run();
        int seen = hits;
        hits = seen + 1;
    }

    public int hits() {
        return hits;
    }
}
