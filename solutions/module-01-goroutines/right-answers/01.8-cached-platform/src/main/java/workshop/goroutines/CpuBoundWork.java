// Right answer for 01.8: a cached pool of platform threads
package workshop.goroutines;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exercise 01.8: CPU-bound work starves virtual threads
 *
 * <p>Compute CPU-bound jobs in parallel without stopping every other virtual thread of the application.
 *
 * <pre>{@code
 * for _, job := range jobs { go func() { results <- job() }() }   // Go preempts a busy goroutine (1.14+)
 * }</pre>
 *
 * <p>A virtual thread leaves its carrier only when it blocks: jobs that never block hold every carrier.
 */
public final class CpuBoundWork {

    private CpuBoundWork() {
    }

    /**
     * Runs every job in parallel and returns their results in the order of {@code jobs}. The jobs are CPU-bound:
     * they compute and never block. Blocks until all have finished; other virtual threads of the application keep
     * running meanwhile.
     *
     * @throws ExecutionException   if a job threw (the first, in order, is reported)
     * @throws InterruptedException if interrupted while waiting
     */
    public static <T> List<T> computeAll(List<Callable<T>> jobs) throws InterruptedException, ExecutionException {
        // Platform threads, as many as there are cores: the OS time-slices them with everything else, and the
        // carriers of the virtual threads stay free. Virtual threads are for work that blocks.
        int cores = Runtime.getRuntime().availableProcessors();
        try (ExecutorService executor = Executors.newCachedThreadPool()) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> job : jobs) {
                futures.add(executor.submit(job));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
