// Wrong answer for 01.1: join's InterruptedException propagates and the tasks keep running
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;

public final class StartAndJoin {
    private StartAndJoin() { }
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        List<Thread> ts = new ArrayList<>(); for (Runnable t : tasks) ts.add(Thread.ofVirtual().start(t)); for (Thread t : ts) t.join();
    }
}
