package workshop.channels.examples;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Watching a bounded queue: how full it is, and how long producers wait for room. Both tell you that the consumer
 * cannot keep up, long before a bigger buffer would.
 */
public final class Saturation {

    private Saturation() {
    }

    // tag::saturation[]
    static double saturation(BlockingQueue<?> queue) {
        int queued = queue.size();                                   // len(ch)
        return (double) queued / (queued + queue.remainingCapacity()); // len(ch) / cap(ch): 1.0 is full
    }

    private static final LongAdder PRODUCER_WAIT_NANOS = new LongAdder(); // export it as a counter

    static <T> void putTimed(BlockingQueue<T> queue, T value) throws InterruptedException {
        long start = System.nanoTime();
        queue.put(value);                                            // backpressure happens here
        PRODUCER_WAIT_NANOS.add(System.nanoTime() - start);
    }
    // end::saturation[]

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(8);
        for (int i = 0; i < 6; i++) {
            putTimed(queue, i);
        }
        System.out.printf("saturation %.2f, producers waited %d ns%n", saturation(queue), PRODUCER_WAIT_NANOS.sum());
    }
}
