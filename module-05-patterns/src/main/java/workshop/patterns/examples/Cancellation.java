package workshop.patterns.examples;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's pipeline rules with a queue: the sender is the only one who says "no more" (a close in Go, a last item here),
 * and a receiver that stops early tells the sender to stop (a closed {@code done} channel in Go, an interrupt here).
 * A generator over a bounded queue shows both directions.
 */
public final class Cancellation {

    private Cancellation() {
    }

    // tag::generator[]
    /** Puts 0, 1, 2, ... into {@code out} until interrupted; a full queue makes it wait. */
    static Thread numbers(BlockingQueue<Integer> out, AtomicInteger produced) {
        return Thread.ofVirtual().name("numbers").start(() -> {
            try {
                for (int i = 0; ; i++) {
                    out.put(i);            // select { case out <- i: case <-done: return }
                    produced.incrementAndGet();
                }
            } catch (InterruptedException e) {
                // the consumer stopped: return, which is the whole clean-up of this stage
            }
        });
    }

    static void takeThree() throws InterruptedException {
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(2); // the bound: how far the sender may run ahead
        AtomicInteger produced = new AtomicInteger();
        Thread producer = numbers(queue, produced);
        try {
            for (int i = 0; i < 3; i++) {
                System.out.println("got " + queue.take());
            }
        } finally {
            producer.interrupt();          // close(done)
            producer.join();               // and wait until it has really returned
        }
        System.out.println("produced " + produced.get() + " for 3 taken"); // at most 3 + 2 (the queue's capacity)
    }
    // end::generator[]

    public static void main(String[] args) throws InterruptedException {
        takeThree();
    }
}
