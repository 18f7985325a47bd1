// Right answer for 01.3: a CountDownLatch per round, replaced when a round begins
package workshop.goroutines;
import java.util.concurrent.CountDownLatch;
public final class WaitGroup {
    private long counter;
    private CountDownLatch zero = new CountDownLatch(0);
    public synchronized void add(int delta) {
        long next = counter + delta;
        if (next < 0) throw new IllegalStateException("negative WaitGroup counter");
        if (counter == 0 && next > 0) zero = new CountDownLatch(1);
        counter = next;
        if (next == 0 && delta != 0) zero.countDown();
    }
    public void done() { add(-1); }
    public void await() throws InterruptedException {
        CountDownLatch mine;
        synchronized (this) { mine = zero; }
        mine.await();
    }
}
