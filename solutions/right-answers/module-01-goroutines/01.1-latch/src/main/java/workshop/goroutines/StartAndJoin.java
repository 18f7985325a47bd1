// Right answer for 01.1: a CountDownLatch counted down in each task's finally; on interrupt, interrupt the threads and wait for the latch again
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;

public final class StartAndJoin {
    private StartAndJoin() { }
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(tasks.size());
        List<Thread> ts = new ArrayList<>();
        for (Runnable t : tasks) ts.add(Thread.ofVirtual().start(() -> { try { t.run(); } finally { done.countDown(); } }));
        try { done.await(); }
        catch (InterruptedException e) { ts.forEach(Thread::interrupt); while (true) { try { done.await(); break; } catch (InterruptedException x) { } } throw e; }
    }
}
