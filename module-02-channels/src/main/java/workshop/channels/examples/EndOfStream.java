package workshop.channels.examples;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link BlockingQueue} has no {@code close()}. The JDK's own advice is an end-of-stream value, a poison pill;
 * the tempting alternative, a shutdown flag beside the queue, has two holes.
 */
public final class EndOfStream {

    private EndOfStream() {
    }

    // tag::poison-pill[]
    private static final String DONE = new String("done"); // a unique object: compared by identity, never sent as data

    static void produce(BlockingQueue<String> queue) throws InterruptedException {
        for (String line : new String[] {"a", "b", "c"}) {
            queue.put(line);
        }
        queue.put(DONE); // close(ch): one pill per consumer
    }

    static void consume(BlockingQueue<String> queue) throws InterruptedException {
        for (String line = queue.take(); line != DONE; line = queue.take()) { // for line := range ch
            System.out.println(line);
        }
    }
    // end::poison-pill[]

    // tag::flag-pitfall[]
    static final class FlaggedWorker {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private volatile boolean stopped;

        void submit(String job) {
            if (!stopped) {       // check, then act: stop() may run between the two lines
                queue.add(job);   // accepted after the stop, and never processed
            }
        }

        void stop() {
            stopped = true;       // the worker parked in take() does not see this
        }

        void run() throws InterruptedException {
            while (!stopped) {
                String job = queue.take(); // waits here for a job that may never come
                System.out.println("processing " + job);
            }
        }
    }
    // end::flag-pitfall[]

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(2);
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                consume(queue);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        produce(queue);
        consumer.join();

        FlaggedWorker worker = new FlaggedWorker();
        Thread stuck = Thread.ofVirtual().start(() -> {
            try {
                worker.run();
            } catch (InterruptedException e) {
                System.out.println("the worker was parked in take(): only the interrupt ended it");
            }
        });
        worker.submit("job");
        worker.stop();
        stuck.interrupt();
        stuck.join();
    }
}
