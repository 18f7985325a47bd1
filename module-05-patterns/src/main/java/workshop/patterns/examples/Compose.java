package workshop.patterns.examples;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;

/**
 * The patterns composed, as in the study card's example: a request handler fans out to three backends, their
 * answers are merged into one queue (fan-in), a pipeline stage normalises each as it arrives, and a small fixed pool
 * (two "database connections") writes them. The JDK's own pool and scope do the work here; the exercises build the
 * parts themselves.
 */
public final class Compose {

    private Compose() {
    }

    record Quote(String backend, String price) {
    }

    // tag::compose[]
    static final ExecutorService writers = Executors.newFixedThreadPool(2); // worker pool: 2 DB connections

    static void handle(String sku) throws InterruptedException {
        List<String> backends = List.of("inventory", "pricing", "reviews");
        BlockingQueue<Quote> merged = new ArrayBlockingQueue<>(backends.size()); // fan-in: one queue for all
        try (var scope = StructuredTaskScope.open()) {
            for (String backend : backends) {                                    // fan-out: a fork per backend
                scope.fork(() -> {
                    merged.put(call(backend, sku));
                    return null;
                });
            }
            scope.fork(() -> {                                                   // pipeline stage: normalise
                for (int i = 0; i < backends.size(); i++) {
                    Quote normal = normalise(merged.take());                     // in arrival order
                    writers.submit(() -> write(normal));                         // next stage: the pool
                }
                return null;
            });
            scope.join();                                                        // a failure cancels the rest
        }
    }
    // end::compose[]

    static Quote call(String backend, String sku) {
        Workshop.sleep(backend.length() * 3L);
        return new Quote(backend, " " + sku + "@" + backend.length() + " ");
    }

    static Quote normalise(Quote q) {
        return new Quote(q.backend(), q.price().strip().toUpperCase(Locale.ROOT));
    }

    static void write(Quote q) {
        System.out.println(Thread.currentThread().getName() + " writes " + q);
    }

    public static void main(String[] args) throws InterruptedException {
        try (writers) {                // close(): no new jobs, waits for the queued writes, the pool's threads end
            handle("sku-1");
            handle("sku-2");
        }
    }
}
