// Wrong answer for 01.4: a waiting caller swallows its interrupt
package workshop.goroutines;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
public final class Once {
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    public void run(Runnable action) {
        if (started.compareAndSet(false, true)) {
            try { action.run(); } finally { done.countDown(); }
            return;
        }
        while (true) { try { done.await(); break; } catch (InterruptedException e) { } }
    }
}
