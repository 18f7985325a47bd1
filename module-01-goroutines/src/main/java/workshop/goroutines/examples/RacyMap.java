package workshop.goroutines.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@code HashMap} written by several threads at once: usually no exception, just a wrong map. Go would stop the
 * program with "fatal error: concurrent map writes". Run it a few times.
 */
public final class RacyMap {

    private static final int THREADS = 8;
    private static final int KEYS_PER_THREAD = 100_000;

    private RacyMap() {
    }

    public static void main(String[] args) {
        // tag::racy-map[]
        Map<Integer, Integer> map = new HashMap<>(); // not safe to share
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < THREADS; t++) {
                int first = t * KEYS_PER_THREAD;
                executor.execute(() -> {
                    for (int key = first; key < first + KEYS_PER_THREAD; key++) {
                        map.put(key, key); // distinct keys, but the resizes race
                    }
                });
            }
        }
        System.out.println(map.size() + " entries, expected " + THREADS * KEYS_PER_THREAD);
        // end::racy-map[]
    }
}
