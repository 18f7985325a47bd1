// Right answer for 01.1: a per-task executor in try-with-resources: close() interrupts the tasks if the caller is interrupted, waits, and keeps the status set
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;

public final class StartAndJoin {
    private StartAndJoin() { }
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) { tasks.forEach(ex::execute); }
    }
}
