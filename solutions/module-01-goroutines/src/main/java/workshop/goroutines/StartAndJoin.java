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
     * Blocks the caller until then. It never returns, normally or not, while a thread it started still runs a task.
     *
     * <p>If the caller is interrupted while waiting, the call gives up on the tasks as a
     * {@code StructuredTaskScope} does when its owner is interrupted: it interrupts every task's thread, waits until
     * all have finished, and then throws {@code InterruptedException} (or, as {@code ExecutorService.close()} does,
     * returns with the caller's interrupt status set). A task that ignores interruption keeps the call waiting.
     *
     * <p>Memory consistency effects: actions in each task happen-before {@code runAll} returns.
     *
     * @throws InterruptedException if the caller was interrupted while waiting; every task has finished by then
     */
    public static void runAll(List<Runnable> tasks) throws InterruptedException {
        // Start them all first: joining inside this loop would run the tasks one after another.
        List<Thread> threads = new ArrayList<>(tasks.size());
        for (Runnable task : tasks) {
            threads.add(Thread.ofVirtual().start(task));
        }
        // Thread.join is Go's wg.Wait for one thread, and gives the same happens-before edge.
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            // The caller gave up: cancel what still runs, and return only once nothing does (StructuredTaskScope's
            // close() does the same). Go has no interrupts: it would cancel a context the tasks watch.
            threads.forEach(Thread::interrupt);
            joinUninterruptibly(threads);
            throw e;
        }
    }

    private static void joinUninterruptibly(List<Thread> threads) {
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException again) {
                    // already cancelling: keep waiting; the InterruptedException thrown next says it all
                }
            }
        }
    }
}
