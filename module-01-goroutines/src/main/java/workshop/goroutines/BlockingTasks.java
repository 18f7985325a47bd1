package workshop.goroutines;

import workshop.support.NotSolvedYet;

/**
 * Exercise 01.2: A hundred thousand blocking tasks
 *
 * <p>Run n copies of a task that blocks, all at the same time, and return when every one has finished.
 * With n = 100,000, only threads that cost almost nothing while they wait can carry it.
 *
 * <pre>{@code
 * for range n {
 *     wg.Add(1)
 *     go func() { defer wg.Done(); blockingTask() }()
 * }
 * wg.Wait()
 * }</pre>
 */
public final class BlockingTasks {

    private BlockingTasks() {
    }

    /**
     * Runs {@code n} copies of {@code blockingTask} concurrently and waits for all of them. Every copy must be able
     * to block at the same time as all the others. Blocks the caller until all have finished; it never returns while
     * a copy still runs.
     *
     * <p>If the caller is interrupted while waiting, every copy still running is interrupted, and the call ends only
     * once all have finished: it then throws {@code InterruptedException} (or, as {@code ExecutorService.close()}
     * does, returns with the caller's interrupt status set).
     *
     * <p>Memory consistency effects: actions in each copy happen-before {@code runConcurrently} returns.
     *
     * @throws InterruptedException if the caller was interrupted while waiting; every copy has finished by then
     */
    public static void runConcurrently(int n, Runnable blockingTask) throws InterruptedException {
        // TODO 01.2: give each of the n tasks a thread that is cheap to park
        throw new NotSolvedYet("01.2");
    }
}
