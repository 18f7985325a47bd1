// Wrong answer for 01.2: a pool of 1,000 virtual threads is still a pool
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

public final class BlockingTasks {
    private BlockingTasks() { }
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        try (ExecutorService ex = Executors.newFixedThreadPool(1000, Thread.ofVirtual().factory())) { for (int i = 0; i < n; i++) ex.execute(blockingTask); }
    }
}
