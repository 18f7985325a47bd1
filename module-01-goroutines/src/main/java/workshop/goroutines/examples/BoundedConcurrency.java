package workshop.goroutines.examples;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Limiting concurrency without pooling threads: one virtual thread per task, and a semaphore around the scarce
 * resource. Go's version is a buffered channel used as a semaphore.
 */
public final class BoundedConcurrency {

    private BoundedConcurrency() {
    }

    // tag::semaphore[]
    private static final Semaphore BACKEND = new Semaphore(10); // at most 10 calls in flight

    static String callBackend(String request) throws InterruptedException {
        BACKEND.acquire(); // parks the virtual thread; its carrier runs others meanwhile
        try {
            return "reply to " + request;
        } finally {
            BACKEND.release();
        }
    }
    // end::semaphore[]

    public static void main(String[] args) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1_000; i++) {
                String request = "request-" + i;
                executor.submit(() -> callBackend(request));
            }
        }
        System.out.println("done, never more than 10 at once");
    }
}
