// Right answer for 01.1: StructuredTaskScope (preview): fork each task, join; close() cancels and waits
package workshop.goroutines;

import java.util.*;
import java.util.concurrent.*;

public final class StartAndJoin {
    private StartAndJoin() { }
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {
            for (Runnable t : tasks) scope.fork(t);
            scope.join();
        }
    }
}
