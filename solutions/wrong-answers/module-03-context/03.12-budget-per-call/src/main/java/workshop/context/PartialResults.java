// Wrong answer for 03.12: the budget applies to each call in turn (Future.get with the budget, one after another), not to the group
package workshop.context;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.StructuredTaskScope;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Exercise 03.12: Partial results by a group deadline
 *
 * <p>Call several services at once under one time budget for the group, and answer with what arrived in time: a late
 * call is cancelled and left out, a failed call is left out, neither is fatal. A scope with a timeout
 * ({@code StructuredTaskScope}, JEP 505) gives the group deadline.
 *
 * <pre>{@code
 * ctx, cancel := context.WithTimeout(ctx, budget)
 * defer cancel()
 * var mu sync.Mutex; var wg sync.WaitGroup
 * for name, call := range calls {
 *     wg.Add(1)
 *     go func() { defer wg.Done(); if v, err := call(ctx); err == nil { mu.Lock(); got[name] = v; mu.Unlock() } }()
 * }
 * wg.Wait()   // the calls return once ctx's deadline passes
 * return got
 * }</pre>
 */
public final class PartialResults {

    private PartialResults() {
    }

    /**
     * Runs every call concurrently, each on a thread of its own, and returns the results of those that succeeded
     * within {@code budget}, under the same names.
     *
     * <p>Blocks until every call has finished or the budget is spent, whichever comes first: it does not wait for the
     * budget when every call is done before. When the budget is spent, the calls still running are cancelled by
     * interruption and this method waits until they have ended; their names are left out of the answer, and so are
     * the names of calls that threw. If the caller is interrupted while waiting, every call is cancelled and waited
     * for, and {@link InterruptedException} is thrown.
     *
     * <p>Memory consistency effects: actions in each call happen-before this method returns.
     */
    public static <T> Map<String, T> collect(Map<String, ? extends Callable<? extends T>> calls, Duration budget)
            throws InterruptedException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<? extends T>> futures = new LinkedHashMap<>();
            calls.forEach((name, call) -> futures.put(name, executor.submit(call)));
            Map<String, T> results = new LinkedHashMap<>();
            for (Map.Entry<String, Future<? extends T>> entry : futures.entrySet()) {
                try {
                    results.put(entry.getKey(), entry.getValue().get(budget.toNanos(), TimeUnit.NANOSECONDS)); // each call its budget
                } catch (ExecutionException failed) {
                    // left out
                } catch (TimeoutException late) {
                    entry.getValue().cancel(true);
                } catch (InterruptedException e) {
                    futures.values().forEach(f -> f.cancel(true));
                    throw e;
                }
            }
            return results;
        }
    }
}
