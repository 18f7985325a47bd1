package workshop.patterns.examples;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The ancestor of singleflight in Java: <i>Java Concurrency in Practice</i>'s {@code Memoizer} (section 5.6), a map
 * of futures in which the first caller for a key runs the computation and every other caller waits for the same
 * future. Unlike singleflight it never forgets a key, it remembers a failure for ever, and the computation runs on
 * the first caller's thread.
 */
public final class Memo<K, V> {

    // tag::memoizer[]
    private final ConcurrentMap<K, Future<V>> results = new ConcurrentHashMap<>();
    private final Function<K, V> compute;

    Memo(Function<K, V> compute) {
        this.compute = compute;
    }

    V get(K key) throws InterruptedException, ExecutionException {
        FutureTask<V> mine = new FutureTask<>(() -> compute.apply(key));
        Future<V> shared = results.putIfAbsent(key, mine); // one future per key, whoever comes first
        if (shared == null) {
            shared = mine;
            mine.run();                                     // the first caller computes, on its own thread
        }
        return shared.get();                                // everyone else waits for that one result
    }
    // end::memoizer[]

    public static void main(String[] args) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Memo<String, String> memo = new Memo<>(key -> {
            calls.incrementAndGet();
            Workshop.sleep(50);
            return key.toUpperCase();
        });
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                threads.submit(() -> memo.get("user-42"));
            }
        }
        System.out.println("20 concurrent callers, computations: " + calls.get()); // 1
        memo.get("user-42");
        System.out.println("a later caller, computations: " + calls.get());      // still 1: never forgotten
    }
}
