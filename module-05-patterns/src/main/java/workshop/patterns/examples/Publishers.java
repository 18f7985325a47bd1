package workshop.patterns.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SubmissionPublisher}, the JDK's {@link Flow.Publisher}: each subscriber has its own bounded buffer and asks
 * for items with {@code request(n)}; {@code submit} blocks the publisher when a buffer is full, {@code offer} drops.
 * {@code main} prints the defaults and what a slow subscriber does to each.
 */
public final class Publishers {

    private Publishers() {
    }

    // tag::slow-subscriber[]
    /** Takes one item at a time, and takes its time: demand is the backpressure. */
    static final class Slow implements Flow.Subscriber<Integer> {
        final AtomicInteger received = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);                        // demand: one item, no more
        }

        @Override
        public void onNext(Integer item) {
            Workshop.sleep(2);                   // a slow consumer
            received.incrementAndGet();
            subscription.request(1);             // ready for the next one
        }

        @Override
        public void onError(Throwable failure) {
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }
    }
    // end::slow-subscriber[]

    static void defaults() {
        try (var publisher = new SubmissionPublisher<Integer>()) {
            System.out.printf("default executor is the common pool: %b (its parallelism here: %d); buffer %d%n",
                    publisher.getExecutor() == ForkJoinPool.commonPool(),
                    ForkJoinPool.commonPool().getParallelism(), publisher.getMaxBufferCapacity());
        }
        try (var publisher = new SubmissionPublisher<Integer>(Runnable::run, 5)) {
            System.out.println("a capacity of 5 is enforced as " + publisher.getMaxBufferCapacity());
        }
    }

    static void submitBlocks() throws InterruptedException {
        // tag::submit-offer[]
        Slow slow = new Slow();
        long t0 = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             var publisher = new SubmissionPublisher<Integer>(executor, 4)) {
            publisher.subscribe(slow);
            for (int i = 0; i < 100; i++) {
                publisher.submit(i);            // blocks (uninterruptibly) while slow's buffer of 4 is full
            }
            System.out.printf("submit: 100 items took %d ms to hand over%n", (System.nanoTime() - t0) / 1_000_000);
        }                                       // publisher.close(): onComplete once the buffer is drained
        slow.done.await();
        System.out.println("submit: received " + slow.received.get());

        Slow dropping = new Slow();
        AtomicInteger dropped = new AtomicInteger();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             var publisher = new SubmissionPublisher<Integer>(executor, 4)) {
            publisher.subscribe(dropping);
            for (int i = 0; i < 100; i++) {
                publisher.offer(i, (subscriber, item) -> {
                    dropped.incrementAndGet();  // the drop handler: log it, count it; true = retry once
                    return false;
                });
            }
        }
        dropping.done.await();
        System.out.printf("offer: received %d, dropped %d%n", dropping.received.get(), dropped.get());
        // end::submit-offer[]
    }

    public static void main(String[] args) throws InterruptedException {
        defaults();
        submitBlocks();
    }
}
