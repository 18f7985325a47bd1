package workshop.goroutines;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Exercise 01.2: A million blocking tasks
 *
 * <p>Run n copies of a task that blocks, all at the same time, and return when every one has finished.
 * With n = 1,000,000, only threads that cost almost nothing while they wait can carry it.
 *
 * <pre>{@code
 * for range n {
 *     wg.Add(1)
 *     go func() { defer wg.Done(); blockingTask() }()
 * }
 * wg.Wait()
 * }</pre>
 */
public final class MillionTasks {

    private MillionTasks() {
    }

    /**
     * Runs {@code n} copies of {@code blockingTask} concurrently and waits for all of them. Every copy must be able
     * to block at the same time as all the others. Blocks the caller until all have finished.
     *
     * @throws InterruptedException if the caller is interrupted while waiting
     */
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        // One virtual thread per task: a parked virtual thread is a small heap object, not an OS thread.
        // close() (end of try) waits for every task, like wg.Wait().
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                executor.execute(blockingTask);
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting for the tasks");
        }
    }
}
