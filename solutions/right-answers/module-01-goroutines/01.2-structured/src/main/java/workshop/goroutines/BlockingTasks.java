// Right answer for 01.2: StructuredTaskScope (preview) with 100,000 forks
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

public final class BlockingTasks {
    private BlockingTasks() { }
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) { for (int i = 0; i < n; i++) scope.fork(blockingTask); scope.join(); }
    }
}
