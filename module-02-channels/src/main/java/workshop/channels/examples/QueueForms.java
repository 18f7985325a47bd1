package workshop.channels.examples;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Buffered channels in the JDK: the bounded queues, and the four forms of every {@link BlockingQueue} method (throws,
 * special value, blocks, times out) on a full and on an empty queue.
 */
public final class QueueForms {

    private QueueForms() {
    }

    record Job(int id) {
    }

    public static void main(String[] args) throws InterruptedException {
        // tag::bounded[]
        BlockingQueue<Job> array = new ArrayBlockingQueue<>(16);   // make(chan Job, 16): one array, one lock
        BlockingQueue<Job> linked = new LinkedBlockingQueue<>(16); // the same bound: a node per value, two locks
        BlockingQueue<Job> endless = new LinkedBlockingQueue<>();  // Integer.MAX_VALUE: put never waits
        // end::bounded[]
        System.out.println(array.remainingCapacity() + " " + linked.remainingCapacity() + " "
                + endless.remainingCapacity());

        // tag::four-forms[]
        BlockingQueue<String> jobs = new ArrayBlockingQueue<>(1);
        jobs.put("first");                                      // blocks while full; here there was room
        boolean offered = jobs.offer("second");                 // full: false at once
        boolean inTime = jobs.offer("second", 20, MILLISECONDS); // full: false after waiting 20 ms
        try {
            jobs.add("second");                                 // full: throws
        } catch (IllegalStateException full) {
            System.out.println("add: " + full.getMessage());    // "Queue full"
        }
        String head = jobs.poll();                              // "first"; null if empty
        String nothing = jobs.poll(20, MILLISECONDS);           // empty: null after waiting 20 ms
        // end::four-forms[]
        System.out.println(offered + " " + inTime + " " + head + " " + nothing);
    }
}
