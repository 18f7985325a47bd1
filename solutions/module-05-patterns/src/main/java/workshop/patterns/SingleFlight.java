package workshop.patterns;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Exercise 05.5: Singleflight
 *
 * <p>Concurrent calls for one key share one execution and its outcome, value or failure; once it has completed, the
 * key is forgotten, so a later call runs again. Calls for different keys do not wait for each other.
 *
 * <pre>{@code
 * var group singleflight.Group
 * v, err, shared := group.Do("user:42", func() (any, error) {
 *     return loadUser(42) // runs once however many goroutines ask for "user:42" meanwhile
 * })
 * }</pre>
 *
 * @param <K> the key: equal keys (by {@code equals}) share an execution
 * @param <V> what a call returns
 */
public final class SingleFlight<K, V> {

    private final ConcurrentMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

    /** A group with no call in flight. */
    public SingleFlight() {
    }

    /**
     * Runs {@code call} for {@code key} and returns its result, unless a call for an equal key is already in flight:
     * then it runs nothing and waits for that execution's outcome instead. The first caller (the leader) runs the call
     * on its own thread, as Go's {@code Do} does; the others wait, parked, until it completes. Once it has completed,
     * the key is forgotten: a call for it that starts afterwards runs again.
     *
     * <p>A call for another key neither waits for this one nor blocks it.
     *
     * <p>If a waiting caller is interrupted, it stops waiting and throws {@link InterruptedException} with its
     * interrupt status clear; the execution and the other callers go on as if it had never asked.
     *
     * <p>Memory consistency effects: actions in the call happen-before every caller sharing it returns or throws.
     *
     * @throws ExecutionException if the call threw: every caller sharing the execution gets an
     *         {@code ExecutionException} whose cause is that same exception instance
     * @throws InterruptedException if this caller was interrupted while waiting for another caller's execution
     */
    public V run(K key, Callable<V> call) throws ExecutionException, InterruptedException {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = inFlight.putIfAbsent(key, mine); // one atomic step: find or publish
        if (theirs != null) {
            return theirs.get(); // parks; an interrupt ends only this wait
        }
        try {
            V value = call.call();
            mine.complete(value);
            return value;
        } catch (Throwable failure) {
            mine.completeExceptionally(failure);
            throw new ExecutionException(failure);
        } finally {
            inFlight.remove(key, mine); // forget it once complete: a later caller runs again
        }
    }
}
