package workshop.channels.examples;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Ten thousand receivers blocked on one queue, each on its own virtual thread: a blocked {@code take()} unmounts the
 * virtual thread, so they hold no carrier while they wait. Go's goroutines blocked on a channel do the same.
 */
public final class ParkedReceivers {

    private ParkedReceivers() {
    }

    public static void main(String[] args) throws InterruptedException {
        LongAdder sum = new LongAdder();
        // tag::parked-receivers[]
        BlockingQueue<Integer> work = new ArrayBlockingQueue<>(100);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10_000; i++) {
                executor.submit(() -> {
                    sum.add(work.take()); // parks and unmounts: the carrier runs other virtual threads
                    return null;
                });
            }
            for (int i = 0; i < 10_000; i++) {
                work.put(i);              // each value wakes one receiver
            }
        }
        // end::parked-receivers[]
        System.out.println("sum " + sum.sum());
    }
}
