package workshop.channels.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * What a hand-off publishes: whatever the sender wrote before {@code put} is visible to the receiver after
 * {@code take}, with no {@code volatile} and no lock of your own (java.util.concurrent's memory consistency effects).
 */
public final class Visibility {

    private Visibility() {
    }

    // tag::publish[]
    static final class Batch {  // plain fields: not final, not volatile
        String owner;
        List<String> items = new ArrayList<>();
    }

    static void handOver(BlockingQueue<Batch> queue) throws InterruptedException {
        Batch batch = new Batch();
        batch.owner = "ann";
        batch.items.add("apples");
        queue.put(batch);       // the writes above happen-before ...
    }

    static void receive(BlockingQueue<Batch> queue) throws InterruptedException {
        Batch batch = queue.take(); // ... everything this thread does after take() returns it
        System.out.println(batch.owner + " " + batch.items); // ann [apples], guaranteed
    }
    // end::publish[]

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Batch> queue = new SynchronousQueue<>();
        Thread receiver = Thread.ofVirtual().start(() -> {
            try {
                receive(queue);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        handOver(queue);
        receiver.join();
    }
}
