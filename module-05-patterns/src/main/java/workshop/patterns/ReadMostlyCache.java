package workshop.patterns;

import workshop.support.NotSolvedYet;

import java.util.concurrent.ExecutionException;

/**
 * Exercise 05.8: A read-mostly cache
 *
 * <p>A cache that loads each key once and then keeps its value: concurrent callers for a missing key share one load,
 * and a read of a key that is present never waits, whatever is being loaded meanwhile. Unlike 05.5's singleflight,
 * which forgets a key as soon as its call completes, the cache keeps the value (a failure is not kept). Go offers
 * {@code sync.Map} for "written once, read many times" keys, or a {@code sync.RWMutex} over a map:
 *
 * <pre>{@code
 * var cache sync.Map // key -> *entry, safe for concurrent use
 * func get(key string) (*Value, error) {
 *     e, _ := cache.LoadOrStore(key, &entry{}) // atomic: one entry per key
 *     ent := e.(*entry)
 *     ent.once.Do(func() { ent.v, ent.err = load(key) }) // one load; the others wait in Do
 *     return ent.v, ent.err // a failure stays cached here: this exercise does not keep it
 * }
 * }</pre>
 *
 * @param <K> the key: equal keys (by {@code equals}) share a value
 * @param <V> the value; a loader never returns {@code null}
 */
public final class ReadMostlyCache<K, V> {

    /** Loads the value of a key; may block, and may throw. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(K key) throws Exception;
    }

    /** An empty cache. */
    public ReadMostlyCache() {
        // TODO 05.8: what must a caller find for a key that is being loaded, so that it does not load it again?
    }

    /**
     * Returns the value of {@code key}, loading it first if no caller has: an atomic compute-if-absent. The first
     * caller for a missing key runs {@code loader} on its own thread; callers for that key that come while it loads
     * run nothing and wait, parked, for its outcome. Once loaded, the value is kept: later calls return it at once. A
     * call for a key that is present never waits, and a load never makes callers of other keys wait.
     *
     * <p>If the load fails, its failure is not kept: the caller that ran it and every caller that waited for it throw
     * {@link ExecutionException} with the loader's exception as cause, and the next call for the key loads again.
     *
     * <p>If a caller waiting for another caller's load is interrupted, it throws {@link InterruptedException} with its
     * interrupt status clear; the load goes on for the others, and its value is kept.
     *
     * <p>Memory consistency effects: actions in the loader happen-before every return of its value from {@code get}
     * or {@link #getIfPresent}.
     *
     * @throws ExecutionException   if the load this call ran or waited for threw (or returned {@code null}): the
     *                              cause is that exception
     * @throws InterruptedException if this caller was interrupted while it waited for another caller's load
     */
    public V get(K key, Loader<? super K, ? extends V> loader) throws ExecutionException, InterruptedException {
        // TODO 05.8: find the key's value or its load in flight, or publish yours, in one atomic step that holds no
        //  lock while the loader runs; a failed load must not stay
        throw new NotSolvedYet("05.8");
    }

    /**
     * Returns the value of {@code key} if it is loaded, else {@code null}; never loads and never waits, not even for a
     * load in flight.
     */
    public V getIfPresent(K key) {
        // TODO 05.8: a look that never loads and never waits
        throw new NotSolvedYet("05.8");
    }
}
