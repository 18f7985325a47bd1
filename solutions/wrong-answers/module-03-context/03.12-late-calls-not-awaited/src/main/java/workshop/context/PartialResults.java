// Wrong answer for 03.12: invokeAll(tasks, budget) interrupts the late calls, but nothing waits for them to end (shutdown, no close)
package workshop.context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<String> names = new ArrayList<>(calls.keySet());
            List<Callable<T>> tasks = new ArrayList<>();
            for (String name : names) {
                Callable<? extends T> call = calls.get(name);
                tasks.add(call::call);
            }
            List<Future<T>> futures = executor.invokeAll(tasks, budget.toNanos(), TimeUnit.NANOSECONDS);
            Map<String, T> results = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (futures.get(i).state() == Future.State.SUCCESS) {
                    results.put(names.get(i), futures.get(i).resultNow());
                }
            }
            return results;
        } finally {
            executor.shutdown(); // the late calls were cancelled (interrupted) by invokeAll; nothing waits for them
        }
    }
}
