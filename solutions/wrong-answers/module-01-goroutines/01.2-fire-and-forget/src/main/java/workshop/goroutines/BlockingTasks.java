// Wrong answer for 01.2: starts every task and returns without waiting for any
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

public final class BlockingTasks {
    private BlockingTasks() { }
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        for (int i = 0; i < n; i++) Thread.ofVirtual().start(blockingTask);
    }
}
