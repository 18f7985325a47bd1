// Wrong answer for 01.2: a fixed pool of 200 platform threads
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

public final class BlockingTasks {
    private BlockingTasks() { }
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        try (ExecutorService ex = Executors.newFixedThreadPool(200)) { for (int i = 0; i < n; i++) ex.execute(blockingTask); }
    }
}
