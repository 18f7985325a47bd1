// Right answer for 01.2: a virtual thread per task kept in a list, joined; on interrupt, interrupt all and join again
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

public final class BlockingTasks {
    private BlockingTasks() { }
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        List<Thread> ts = new ArrayList<>(n); for (int i = 0; i < n; i++) ts.add(Thread.ofVirtual().start(blockingTask));
        try { for (Thread t : ts) t.join(); }
        catch (InterruptedException e) { ts.forEach(Thread::interrupt); for (Thread t : ts) { while (true) { try { t.join(); break; } catch (InterruptedException x) { } } } throw e; }
    }
}
