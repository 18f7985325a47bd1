package workshop.context;

import workshop.support.NotSolvedYet;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * Exercise 03.13: A request id in a ScopedValue
 *
 * <p>Carry a request-scoped value to every thread that works on the request, without passing it as a parameter.
 * A {@link ScopedValue} (final in Java 25, JEP 506) is bound for the extent of a call, and the subtasks forked in a
 * {@code StructuredTaskScope} (JEP 505) inherit the bindings of the thread that opened the scope.
 *
 * <pre>{@code
 * ctx = context.WithValue(ctx, requestIDKey{}, id)
 * g, ctx := errgroup.WithContext(ctx)
 * for i, lookup := range lookups { g.Go(func() (err error) { results[i], err = lookup(ctx); return }) }
 * err := g.Wait()   // each lookup reads ctx.Value(requestIDKey{})
 * }</pre>
 */
public final class RequestIds {

    /** The id of the request being handled; bound only while {@link #handle} runs the request. */
    public static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance();

    private RequestIds() {
    }

    /**
     * Handles one request: runs every lookup concurrently, each on a thread of its own, with {@link #REQUEST_ID}
     * bound to {@code requestId} in every one of them, and returns their results in the order of {@code lookups}.
     *
     * <p>Blocks until every lookup has returned, or one has failed: then the others are cancelled by interruption
     * and waited for, and this method throws. {@link #REQUEST_ID} is bound only for the request: not before, not
     * after, and requests handled at the same time each see their own id. If the caller is interrupted while
     * waiting, every lookup is cancelled and waited for, and {@link InterruptedException} is thrown.
     * The interrupt status is then clear, as after any method that throws {@link InterruptedException}.
     *
     * <p>Memory consistency effects: actions in each lookup happen-before this method returns or throws.
     *
     * @throws ExecutionException if a lookup threw: the first failure is the cause
     * @throws InterruptedException if the caller was interrupted while waiting
     */
    public static List<String> handle(String requestId, List<? extends Callable<String>> lookups)
            throws ExecutionException, InterruptedException {
        // TODO 03.13: bind the id for the request, and run the lookups where they inherit the binding
        throw new NotSolvedYet("03.13");
    }
}
