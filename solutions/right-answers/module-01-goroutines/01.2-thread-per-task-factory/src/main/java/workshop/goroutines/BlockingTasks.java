// Right answer for 01.2: newThreadPerTaskExecutor with a named virtual thread factory
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

public final class BlockingTasks {
    private BlockingTasks() { }
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        try (ExecutorService ex = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-", 0).factory())) { for (int i = 0; i < n; i++) ex.execute(blockingTask); }
    }
}
