package workshop.goroutines;

import java.util.ArrayList;
import java.util.List;

/**
 * Exercise 01.1: Start and join virtual threads
 *
 * <p>Run every task at once, each on its own new virtual thread, and return only when all have finished.
 *
 * <pre>{@code
 * var wg sync.WaitGroup
 * for _, task := range tasks {
 *     wg.Add(1)
 *     go func() { defer wg.Done(); task() }()
 * }
 * wg.Wait()
 * }</pre>
 */
public final class StartAndJoin {

    private StartAndJoin() {
    }

    /**
     * Runs every task concurrently, each on a new virtual thread, and waits until all of them have finished.
     * Blocks the caller until then.
     *
     * <p>Memory consistency effects: actions in each task happen-before {@code runAll} returns.
     *
     * @throws InterruptedException if the caller is interrupted while waiting; the tasks already started keep running
     */
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        // Start them all first: joining inside this loop would run the tasks one after another.
        List<Thread> threads = new ArrayList<>(tasks.size());
        for (Runnable task : tasks) {
            threads.add(Thread.ofVirtual().start(task));
        }
        // Thread.join is Go's wg.Wait for one thread, and gives the same happens-before edge.
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
