// Right answer for 01.4: an AtomicReference to the running thread picks the winner, a CountDownLatch holds the losers
package workshop.goroutines;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
public final class Once {
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    public void run(Runnable action) {
        if (owner.compareAndSet(null, Thread.currentThread())) {
            try { action.run(); } finally { done.countDown(); }
            return;
        }
        if (owner.get() == Thread.currentThread() && done.getCount() > 0) throw new IllegalStateException("nested Once.run");
        boolean interrupted = false;
        while (true) { try { done.await(); break; } catch (InterruptedException e) { interrupted = true; } }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
