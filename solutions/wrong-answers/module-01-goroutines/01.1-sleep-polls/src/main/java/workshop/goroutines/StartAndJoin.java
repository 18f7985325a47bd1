// Wrong answer for 01.1: waits by sleeping in a loop
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;

public final class StartAndJoin {
    private StartAndJoin() { }
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        List<Thread> ts = new ArrayList<>(); for (Runnable t : tasks) ts.add(Thread.ofVirtual().start(t));
        try { while (ts.stream().anyMatch(Thread::isAlive)) Thread.sleep(5); }
        catch (InterruptedException e) { ts.forEach(Thread::interrupt); for (Thread t : ts) { while (true) { try { t.join(); break; } catch (InterruptedException x) { } } } throw e; }
    }
}
