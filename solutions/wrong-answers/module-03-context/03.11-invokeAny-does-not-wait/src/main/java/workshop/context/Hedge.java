// Wrong answer for 03.11: ExecutorService.invokeAny interrupts the losers, but nothing waits for them to end (shutdown, no close)
package workshop.context;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * Exercise 03.11: Hedged requests
 *
 * <p>Ask several replicas the same question at once and take the first good answer; cancel the rest. A replica that
 * fails does not end the race while another may still answer.
 *
 * <pre>{@code
 * ctx, cancel := context.WithCancel(ctx)
 * defer cancel()                         // the losers see ctx.Done()
 * results := make(chan result, len(replicas))
 * for _, r := range replicas { go func() { v, err := r(ctx); results <- result{v, err} }() }
 * for range replicas { if r := <-results; r.err == nil { return r.v, nil } else { lastErr = r.err } }
 * return zero, lastErr
 * }</pre>
 */
public final class Hedge {

    private Hedge() {
    }

    /**
     * Runs every replica concurrently, each on a thread of its own, and returns the result of the first one that
     * succeeds.
     *
     * <p>Blocks until a replica succeeds or all have failed. Once a replica succeeds, the others are cancelled by
     * interruption and this method waits until they have ended before it returns. If the caller is interrupted while
     * waiting, every replica is cancelled and waited for, and {@link InterruptedException} is thrown.
     *
     * <p>Memory consistency effects: actions in each replica happen-before this method returns or throws.
     *
     * @param replicas at least one
     * @throws ExecutionException if every replica failed: the cause is one of their exceptions
     * @throws InterruptedException if the caller was interrupted while waiting
     */
    public static <T> T first(List<? extends Callable<? extends T>> replicas)
            throws ExecutionException, InterruptedException {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Callable<T>> tasks = replicas.stream().<Callable<T>>map(replica -> replica::call).toList();
            return executor.invokeAny(tasks); // cancels (interrupts) the losers, does not wait for them
        } finally {
            executor.shutdown(); // accepts no more tasks; waits for nothing
        }
    }
}
