package workshop.channels.examples;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * Go's unbuffered channel in the JDK: a {@link SynchronousQueue} hands each value from one thread to another, and
 * the sender waits for the receiver. {@link LinkedTransferQueue#transfer} waits the same way on a queue that can also
 * buffer. A queue of capacity one is not the same thing.
 */
public final class Rendezvous {

    private Rendezvous() {
    }

    public static void main(String[] args) throws InterruptedException {
        // tag::synchronous-queue[]
        SynchronousQueue<String> handoff = new SynchronousQueue<>(); // make(chan string)
        Thread receiver = Thread.ofVirtual().start(() -> {
            String value = take(handoff);                            // v := <-ch: parks until a sender comes
            System.out.println("received " + value);
        });
        handoff.put("ping"); // ch <- "ping": returns only once the receiver has the value
        receiver.join();
        // end::synchronous-queue[]

        // tag::one-slot[]
        BlockingQueue<String> oneSlot = new ArrayBlockingQueue<>(1); // make(chan string, 1)
        oneSlot.put("ping");                    // returns at once: nobody has the value, nobody may ever take it
        boolean handed = handoff.offer("ping"); // false: no receiver is waiting at this moment
        // end::one-slot[]
        System.out.println("buffered " + oneSlot.size() + ", handed over " + handed);

        // tag::transfer[]
        LinkedTransferQueue<String> queue = new LinkedTransferQueue<>(); // unbounded
        queue.put("buffered");                      // never blocks: a send into a buffer with room
        boolean direct = queue.tryTransfer("now");  // only to a consumer already waiting: a non-blocking send
        Thread consumer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 2; i++) {
                System.out.println("took " + take(queue));
            }
        });
        queue.transfer("handed over");              // waits until a consumer has taken it: an unbuffered send
        consumer.join();
        // end::transfer[]
        System.out.println("tryTransfer with nobody waiting: " + direct);
    }

    private static <T> T take(BlockingQueue<T> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
