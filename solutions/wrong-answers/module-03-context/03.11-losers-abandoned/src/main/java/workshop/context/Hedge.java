// Wrong answer for 03.11: CompletableFuture.cancel(true) does not interrupt: the losers are abandoned, still running
package workshop.context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<T>> running = replicas.stream().map(replica -> CompletableFuture.<T>supplyAsync(() -> {
            try {
                return replica.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, executor)).toList();
        running.forEach(f -> f.whenComplete((value, failure) -> {
            if (failure == null) {
                first.complete(value);
            } else if (failed.incrementAndGet() == replicas.size()) {
                first.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
            }
        }));
        try {
            return first.get();
        } catch (ExecutionException e) {
            throw new ExecutionException(e.getCause());
        } finally {
            running.forEach(f -> f.cancel(true)); // "true" has no effect on a CompletableFuture: nobody is interrupted
            executor.shutdown();
        }
    }
}
