// Right answer for 01.3: synchronized, wait/notifyAll, and a round count
package workshop.goroutines;
public final class WaitGroup {
    private long counter;
    private long rounds;
    public synchronized void add(int delta) {
        long next = counter + delta;
        if (next < 0) throw new IllegalStateException("negative WaitGroup counter");
        counter = next;
        if (next == 0 && delta != 0) { rounds++; notifyAll(); }
    }
    public void done() { add(-1); }
    public synchronized void await() throws InterruptedException {
        long round = rounds;
        while (counter != 0 && rounds == round) wait();
    }
}
