package workshop.gc;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.memory.Heap;
import workshop.support.testing.Background;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;

/** Evictions are observed through a listener the test gives the cache, and evicted values through the heap. */
@Tag("04.3")
@DisplayName("04.3 A cache with a bound")
class BoundedCacheTest {

    private static final String ONE_LOCK = "Do get() and put() change the map under one lock? A get() in access "
            + "order moves an entry: it changes the map too";

    /** Every eviction the cache reported, in order, as "key=value". */
    private final List<String> evicted = Collections.synchronizedList(new ArrayList<>());

    private BoundedCache<String, String> cacheOf3(String... keys) {
        BoundedCache<String, String> cache = new BoundedCache<>(3, (key, value) -> evicted.add(key + "=" + value));
        for (String key : keys) {
            cache.put(key, key.toUpperCase());
        }
        return cache;
    }

    @Nested
    @DisplayName("one thread at a time")
    class OneThread {

        @Test
        @DisplayName("holds up to its capacity and evicts nothing")
        void holdsUpToItsCapacity() {
            BoundedCache<String, String> cache = cacheOf3("a", "b", "c");

            assertThat(List.of(String.valueOf(cache.get("a")), String.valueOf(cache.get("b")),
                    String.valueOf(cache.get("c")))).as("[04.3] get() of each key after put(a), put(b), put(c) in a "
                    + "cache of capacity 3 (README 04.3)").containsExactly("A", "B", "C");
            assertThat(cache.get("z")).as("[04.3] get() of a key never put (README 04.3)").isNull();
            assertThat(evicted).as("[04.3] evictions reported by a cache of capacity 3 holding 3 entries: a full cache "
                    + "is not over its capacity (README 04.3)").isEmpty();
        }

        @Test
        @DisplayName("a put past the capacity evicts the least recently used entry, and tells the listener")
        void evictsTheLeastRecentlyUsedEntry() {
            BoundedCache<String, String> cache = cacheOf3("a", "b", "c");

            cache.put("d", "D");
            assertThat(evicted).as("[04.3] evictions after put(a), put(b), put(c), put(d) in a cache of capacity 3: "
                    + "expected the least recently used entry, a, and only it (README 04.3)").containsExactly("a=A");
            cache.put("e", "E");
            assertThat(evicted).as("[04.3] evictions after a further put(e): b is now the least recently used "
                    + "(README 04.3)").containsExactly("a=A", "b=B");
            assertThat(cache.get("a")).as("[04.3] get() of the evicted key a (README 04.3)").isNull();
            assertThat(List.of(String.valueOf(cache.get("c")), String.valueOf(cache.get("d")),
                    String.valueOf(cache.get("e")))).as("[04.3] get() of the 3 most recent keys c, d, e "
                    + "(README 04.3)").containsExactly("C", "D", "E");
        }

        @Test
        @DisplayName("get() makes an entry the most recently used: the entry read last is evicted last")
        void getRefreshesAnEntry() {
            BoundedCache<String, String> cache = cacheOf3("a", "b", "c");

            assertThat(cache.get("a")).as("[04.3] get(a) (README 04.3)").isEqualTo("A");
            cache.put("d", "D");

            assertThat(evicted).as("[04.3] put(a), put(b), put(c), get(a), put(d) in a cache of capacity 3 should "
                    + "evict b, the least recently USED: the get made a the most recent. Evicting a is first in, "
                    + "first out; does get() refresh the entry (a LinkedHashMap in access order)? (README 04.3)")
                    .containsExactly("b=B");
            assertThat(cache.get("a")).as("[04.3] get(a) after put(d) (README 04.3)").isEqualTo("A");
        }

        @Test
        @DisplayName("put() of a key it holds replaces the value, refreshes the entry, and evicts nothing")
        void putOfAKeyItHoldsReplacesTheValue() {
            BoundedCache<String, String> cache = cacheOf3("a", "b", "c");

            cache.put("a", "A2");
            assertThat(evicted).as("[04.3] put(a, A2) in a full cache that holds a: replacing a value makes no room "
                    + "and is not an eviction (README 04.3)").isEmpty();
            cache.put("d", "D");

            assertThat(evicted).as("[04.3] put(a), put(b), put(c), put(a, A2), put(d) in a cache of capacity 3 "
                    + "should evict b: the second put(a) made a the most recent (README 04.3)").containsExactly("b=B");
            assertThat(cache.get("a")).as("[04.3] get(a) after put(a, A2) (README 04.3)").isEqualTo("A2");
        }

        @Test
        @DisplayName("what it evicts becomes unreachable: a thousand puts in a cache of 10 keep only 10 values alive")
        void evictedValuesBecomeUnreachable() {
            List<String> evictedKeys = Collections.synchronizedList(new ArrayList<>()); // keys only: never a value
            BoundedCache<Integer, byte[]> cache = new BoundedCache<>(10, (key, value) -> evictedKeys.add("" + key));

            List<WeakReference<byte[]>> values = putValues(cache, 1_000);

            assertThat(evictedKeys).as("[04.3] evictions reported after 1,000 puts of new keys in a cache of "
                    + "capacity 10 (README 04.3)").hasSize(990);
            int alive = Heap.survivors("04.3", values);
            assertThat(alive).as("[04.3] 1,000 values of 10 KB put in a cache of capacity 10: after garbage "
                    + "collection %d of them were still reachable, expected 10 at most: what still references an "
                    + "evicted value? (README 04.3)", alive).isLessThanOrEqualTo(10);
            assertThat(values.getLast().refersTo(null)).as("[04.3] the value put last was collected: the cache "
                    + "should still hold it (README 04.3)").isFalse();
            Reference.reachabilityFence(cache);
        }

        /** Puts {@code n} new 10 KB values under keys 0 to n-1; returns only weak references to them. */
        private static List<WeakReference<byte[]>> putValues(BoundedCache<Integer, byte[]> cache, int n) {
            List<WeakReference<byte[]>> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] value = new byte[10_000];
                values.add(new WeakReference<>(value));
                cache.put(i, value);
            }
            return values;
        }
    }

    @Test
    @DisplayName("a put on another thread while a put is evicting does not evict the same entry twice or break the "
                 + "bound")
    void aPutWhileAnotherEvictsKeepsTheBound() throws InterruptedException {
        CountDownLatch inFirstEviction = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> evictedKeys = Collections.synchronizedList(new ArrayList<>());
        BoundedCache<String, Object> cache = new BoundedCache<>(2, (key, value) -> {
            evictedKeys.add(key);
            if (inFirstEviction.getCount() > 0) { // the first eviction waits until the test lets it go on
                inFirstEviction.countDown();
                try {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        List<WeakReference<Object>> values = putTwo(cache);

        Background<Void> first = Background.run("[04.3] put(c) that evicts", () -> cache.put("c", newValue(values)));
        Background<Void> second = null;
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .until(() -> inFirstEviction.getCount() == 0 || first.isDone());
            first.rethrowIfFailed();
            assertThat(inFirstEviction.getCount()).as("[04.3] put(c) in a full cache of capacity 2 holding a and b "
                    + "returned without telling the listener of an eviction (README 04.3)").isZero();
            second = Background.run("[04.3] put(d) while put(c) evicts", () -> cache.put("d", newValue(values)));
            Background<Void> other = second;
            // a put that waits for the first one's lock is as right as one that goes on: wait until either shows
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(2)).ignoreExceptions()
                    .until(() -> other.isDone() || other.thread().getState() != Thread.State.RUNNABLE);
        } catch (ConditionTimeoutException e) {
            // still running after 2 s: let the first put go on, and judge by what happens next
        } finally {
            release.countDown();
            first.join(PATIENCE);
            if (second != null) {
                second.join(PATIENCE);
            }
        }
        first.rethrowIfFailed();
        second.rethrowIfFailed();

        assertThat(evictedKeys).as("[04.3] keys evicted when put(c) and, on another thread, put(d) went into a full "
                + "cache of capacity 2 holding a and b, while the listener of put(c)'s eviction of a was still "
                + "running: a was evicted twice, so one of the two puts made no room. %s (README 04.3)", ONE_LOCK)
                .doesNotHaveDuplicates();
        int alive = Heap.survivors("04.3", values);
        assertThat(alive).as("[04.3] after put(a), put(b), then put(c) and put(d) at once on two threads in a cache "
                + "of capacity 2, %d of the 4 values were still reachable after garbage collection, expected 2: the "
                + "bound did not hold. %s (README 04.3)", alive, ONE_LOCK).isEqualTo(2);
        Reference.reachabilityFence(cache);
    }

    /** Puts a and b (fresh values) and returns weak references to them; more are added by {@link #newValue}. */
    private static List<WeakReference<Object>> putTwo(BoundedCache<String, Object> cache) {
        List<WeakReference<Object>> values = Collections.synchronizedList(new ArrayList<>());
        cache.put("a", newValue(values));
        cache.put("b", newValue(values));
        return values;
    }

    private static Object newValue(List<WeakReference<Object>> values) {
        Object value = new Object();
        values.add(new WeakReference<>(value));
        return value;
    }

    @Test
    @DisplayName("threads that put and get at once never push it past its capacity")
    void threadsNeverPushItPastItsCapacity() throws InterruptedException {
        int capacity = 32;
        AtomicInteger evictions = new AtomicInteger();
        BoundedCache<Integer, Object> cache = new BoundedCache<>(capacity, (key, value) -> evictions.incrementAndGet());
        cache.put(-1, new Object()); // on this thread first: a stub fails here, not in a worker

        ConcurrentLinkedQueue<WeakReference<Object>> values = new ConcurrentLinkedQueue<>();
        int threads = 4;
        int opsPerThread = 50_000;
        List<Future<?>> workers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(t);
                workers.add(executor.submit(() -> {
                    go.await(); // all threads start together
                    putAndGet(cache, random, opsPerThread, values);
                    return null;
                }));
            }
            go.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("[04.3] %d threads doing %,d puts and gets each did not finish within %d s: is one stuck in "
                        + "a map that other threads changed under it? %s (README 04.3)",
                        threads, opsPerThread, PATIENCE.toSeconds(), ONE_LOCK).isTrue();
        } finally {
            executor.shutdownNow();
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                throw new AssertionError(String.format("[04.3] a thread that put and got at the same time as %d "
                        + "others failed with %s: %s (README 04.3)", threads - 1, e.getCause(), ONE_LOCK),
                        e.getCause());
            }
        }

        int alive = Heap.survivors("04.3", List.copyOf(values));
        assertThat(alive).as("[04.3] after %d threads put %,d values in a cache of capacity %d at once, %d of them "
                + "were still reachable after garbage collection: the bound did not hold. %s (README 04.3)", threads,
                values.size(), capacity, alive, ONE_LOCK).isLessThanOrEqualTo(capacity);
        assertThat(evictions.get()).as("[04.3] evictions reported while %d threads put %,d values under 128 keys in "
                + "a cache of capacity %d (README 04.3)", threads, values.size(), capacity).isPositive();
        Reference.reachabilityFence(cache);
    }

    private static void putAndGet(BoundedCache<Integer, Object> cache, SplittableRandom random, int ops,
                                  ConcurrentLinkedQueue<WeakReference<Object>> values) {
        for (int i = 0; i < ops; i++) {
            int key = random.nextInt(128);
            if (random.nextBoolean()) {
                Object value = new Object();
                values.add(new WeakReference<>(value));
                cache.put(key, value);
            } else {
                cache.get(key);
            }
        }
    }
}
