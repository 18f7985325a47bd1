package workshop.patterns;

import workshop.support.NotSolvedYet;

import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Exercise 05.2: Bounded fan-out
 *
 * <p>Call a slow service once per input, several calls at a time but never more than {@code limit} at once, and
 * collect the results in input order; the first failure cancels the calls still running and starts no new one.
 *
 * <pre>{@code
 * g, ctx := errgroup.WithContext(ctx)
 * g.SetLimit(limit)                       // g.Go blocks while limit calls are running
 * results := make([]R, len(inputs))
 * for i, in := range inputs { g.Go(func() (err error) { results[i], err = call(ctx, in); return }) }
 * if err := g.Wait(); err != nil { return nil, err }
 * return results, nil
 * }</pre>
 */
public final class BoundedFanOut {

    /** A call that may fail, such as a request to a service; it should answer interruption. */
    @FunctionalInterface
    public interface Call<T, R> {
        R call(T input) throws Exception;
    }

    private BoundedFanOut() {
    }

    /**
     * Calls {@code call} once for each input, each call on a thread of its own, with at most {@code limit} calls in
     * flight at any moment (a call is not started, nor its thread, until one of the running calls has ended), and
     * returns the results in the order of {@code inputs}, not the order the calls finished in.
     *
     * <p>The first call that throws cancels the others: those running are interrupted, no further call starts, and
     * once every call started has ended this method throws. If the caller is interrupted while waiting, every running
     * call is interrupted and waited for, no further call starts, and {@link InterruptedException} is thrown; the
     * interrupt status is then clear, as after any method that throws it. No call runs after this method returns or
     * throws.
     *
     * <p>Memory consistency effects: actions in each call happen-before this method returns or throws.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     * @throws ExecutionException       if a call threw: the first failure is the cause
     * @throws InterruptedException     if the caller was interrupted while waiting
     */
    public static <T, R> List<R> mapBounded(List<T> inputs, int limit, Call<? super T, ? extends R> call)
            throws ExecutionException, InterruptedException {
        // TODO 05.2: errgroup's SetLimit makes Go() wait for a free slot before it starts anything
        throw new NotSolvedYet("05.2");
    }
}
