package workshop.context;

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
     * The interrupt status is then clear, as after any method that throws {@link InterruptedException}.
     *
     * <p>Memory consistency effects: actions in each call happen-before this method returns.
     */
    public static <T> Map<String, T> collect(Map<String, ? extends Callable<? extends T>> calls, Duration budget)
            throws InterruptedException {
        Map<String, StructuredTaskScope.Subtask<? extends T>> subtasks = new LinkedHashMap<>();
        // awaitAll: a failure does not cancel the others; the timeout does, and close() waits for the cancelled
        try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<T>awaitAll(),
                config -> config.withTimeout(budget))) {
            calls.forEach((name, call) -> subtasks.put(name, scope.fork(call)));
            try {
                scope.join();
            } catch (StructuredTaskScope.TimeoutException e) {
                // the late calls were interrupted; they stay UNAVAILABLE
            }
        }
        // after close() the owner may read every subtask, also after a timeout
        Map<String, T> results = new LinkedHashMap<>();
        subtasks.forEach((name, subtask) -> {
            if (subtask.state() == StructuredTaskScope.Subtask.State.SUCCESS) {
                results.put(name, subtask.get());
            }
        });
        return results;
    }
}
