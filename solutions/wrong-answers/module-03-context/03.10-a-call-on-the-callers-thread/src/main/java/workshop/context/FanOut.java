// Wrong answer for 03.10: the last call runs on the caller's thread, where nothing can cancel it
package workshop.context;

import java.util.ArrayList;
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
     *
     * <p>Memory consistency effects: actions in each call happen-before this method returns or throws.
     *
     * @throws ExecutionException if a call threw: the first failure is the cause
     * @throws InterruptedException if the caller was interrupted while waiting
     */
    public static <T> List<T> all(List<? extends Callable<? extends T>> calls)
            throws ExecutionException, InterruptedException {
        try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<T>awaitAllSuccessfulOrThrow())) {
            List<StructuredTaskScope.Subtask<? extends T>> forks = new ArrayList<>();
            for (Callable<? extends T> call : calls.subList(0, calls.size() - 1)) {
                forks.add(scope.fork(call));
            }
            T last;
            try {
                last = calls.getLast().call(); // on the caller's thread: why start a thread for the last one?
            } catch (Exception e) {
                throw new ExecutionException(e);
            }
            scope.join();
            List<T> results = new ArrayList<>();
            forks.forEach(fork -> results.add(fork.get()));
            results.add(last);
            return results;
        } catch (StructuredTaskScope.FailedException e) {
            throw new ExecutionException(e.getCause());
        }
    }
}
