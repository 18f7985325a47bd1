package workshop.gc;

import workshop.support.NotSolvedYet;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Exercise 04.3: A cache with a bound
 *
 * <p>A cache that grows without limit is a leak with a hit rate. Build one that holds at most {@code capacity}
 * entries and, to make room, evicts the least recently used one and says so.
 *
 * <pre>{@code
 * cache, _ := lru.NewWithEvict[string, []byte](capacity, func(k string, v []byte) { evicted.Add(1) })
 * cache.Add(key, value)   // evicts the least recently used entry once it holds capacity entries
 * v, ok := cache.Get(key) // a hit makes the entry the most recently used
 * }</pre>
 *
 * <p>Safe for use by several threads at once: it never holds more than {@code capacity} entries, however many threads
 * put and get. Memory consistency effects: actions in a thread before it puts a value happen-before another thread's
 * {@link #get} that returns that value.
 *
 * @param <K> the type of keys, with {@code equals} and {@code hashCode}; never null
 * @param <V> the type of values; never null
 */
public final class BoundedCache<K, V> {

    private final int capacity;
    private final BiConsumer<? super K, ? super V> onEviction;

    /**
     * @param capacity   the most entries the cache holds, at least 1
     * @param onEviction told of every entry the cache evicts to make room, with its key and value, on the thread of
     *                   the {@link #put} that evicted it, before that put returns; it must be quick and must not call
     *                   the cache. Replacing the value of a key is not an eviction.
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public BoundedCache(int capacity, BiConsumer<? super K, ? super V> onEviction) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.onEviction = Objects.requireNonNull(onEviction, "onEviction");
    }

    public int capacity() {
        return capacity;
    }

    /**
     * The value of {@code key}, or null if the cache does not hold it. A hit makes the entry the most recently used.
     */
    public V get(K key) {
        // TODO 04.3: which entry goes when the cache is full? Reading an entry is a use
        throw new NotSolvedYet("04.3");
    }

    /**
     * Puts {@code value} under {@code key}, which becomes the most recently used entry. If that makes the cache hold
     * more than {@code capacity} entries, it evicts the least recently used one and tells the listener.
     */
    public void put(K key, V value) {
        // TODO 04.3: the bound holds after every put, from every thread, and what goes must become unreachable
        throw new NotSolvedYet("04.3");
    }
}
