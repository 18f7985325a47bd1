// Right answer for 01.4: a ReentrantLock and a volatile flag; a nested call is seen in getHoldCount()
package workshop.goroutines;
import java.util.concurrent.locks.ReentrantLock;
public final class Once {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean done;
    public void run(Runnable action) {
        if (done) return;
        lock.lock();
        try {
            if (done) return;
            if (lock.getHoldCount() > 1) throw new IllegalStateException("nested Once.run");
            try { action.run(); } finally { done = true; }
        } finally { lock.unlock(); }
    }
}
