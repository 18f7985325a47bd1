package workshop.context;

import java.util.concurrent.StructuredTaskScope;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * Exercise 03.10: Fan out, fail fast (errgroup)
 *
 * <p>Run every call at the same time and collect their results; the first failure cancels the others. Java 25's
 * tool for it is {@code StructuredTaskScope} (preview, JEP 505): no call outlives the method that forked it.
 *
 * <pre>{@code
 * g, ctx := errgroup.WithContext(ctx)
 * results := make([]T, len(calls))
 * for i, call := range calls { g.Go(func() (err error) { results[i], err = call(ctx); return }) }
 * if err := g.Wait(); err != nil { return nil, err }   // the first error; ctx was cancelled for the others
 * return results, nil
 * }</pre>
 */
public final class FanOut {

    private FanOut() {
    }

    /**
     * Runs every call concurrently, each on a thread of its own, and returns their results in the order of
     * {@code calls} (not the order they finished in).
     *
     * <p>Blocks until every call has returned, or until one has failed: then the others are cancelled by interruption,
     * this method waits until all of them have ended, and throws. No thread it started outlives it. If the caller is
     * interrupted while waiting, every call is cancelled and waited for, and {@link InterruptedException} is thrown.
     * The interrupt status is then clear, as after any method that throws {@link InterruptedException}.
     *
     * <p>Memory consistency effects: actions in each call happen-before this method returns or throws.
     *
     * @throws ExecutionException if a call threw: the first failure is the cause
     * @throws InterruptedException if the caller was interrupted while waiting
     */
    public static <T> List<T> all(List<? extends Callable<? extends T>> calls)
            throws ExecutionException, InterruptedException {
        // allSuccessfulOrThrow: the first failure cancels the scope (interrupts the others); close() waits for all
        try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<T>allSuccessfulOrThrow())) {
            for (Callable<? extends T> call : calls) {
                scope.fork(call);
            }
            return scope.join().map(StructuredTaskScope.Subtask::get).toList(); // in fork order
        } catch (StructuredTaskScope.FailedException e) {
            throw new ExecutionException(e.getCause());
        }
    }
}
