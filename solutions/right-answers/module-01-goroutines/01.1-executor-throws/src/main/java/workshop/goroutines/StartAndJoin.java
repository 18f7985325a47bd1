// Right answer for 01.1: a per-task executor, then InterruptedException if close() kept the caller's interrupt
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;

public final class StartAndJoin {
    private StartAndJoin() { }
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) { tasks.forEach(ex::execute); }
        if (Thread.interrupted()) throw new InterruptedException();
    }
}
