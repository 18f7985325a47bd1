package workshop.goroutines;

import workshop.support.NotSolvedYet;

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
        // TODO 01.1: start all the virtual threads first, then wait for every one of them
        throw new NotSolvedYet("01.1");
    }
}
