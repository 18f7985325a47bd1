// Wrong answer for 02.7: run interrupts the producer when it ends, but does not wait for it, so it can return or throw while the producer still runs
package workshop.channels;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Exercise 02.7: Backpressure
 *
 * <p>A fast producer must not run ahead of a slow consumer: between them sits a buffer of fixed size, and a producer
 * that finds it full waits. Go gets this from a buffered channel; Java from a bounded {@code BlockingQueue}.
 *
 * <pre>{@code
 * buf := make(chan T, capacity)                        // bounded: a send blocks while the buffer is full
 * go func() { for v := range source { buf <- v }; close(buf) }()
 * for v := range buf { sink(v) }
 * }</pre>
 */
public final class Backpressure {

    private Backpressure() {
    }

    /**
     * Moves every item of {@code source} to {@code sink}, in order, through a buffer of {@code capacity} items. A
     * producer thread pulls items from {@code source} (only that thread touches the iterator): it pulls an item, then
     * waits until the buffer has room for it. The consumer (the calling thread or a thread of its own) takes items
     * from the buffer and hands them to {@code sink}. So at most {@code capacity + 2} items are out of the source and
     * not yet delivered: one in the sink, {@code capacity} in the buffer, one in the producer's hand.
     *
     * <p>Returns when the source is exhausted and every item has been delivered. If {@code source} or {@code sink}
     * throws, the run stops: the items pulled before a source failure are still delivered, then this method throws
     * what {@code source} or {@code sink} threw. Whether it returns or throws, no thread it started is still running.
     *
     * <p>Memory consistency effects: actions of the producer before it pulls an item happen-before the delivery of
     * that item to {@code sink}; every delivery happens-before the return of this method.
     *
     * @return the number of items delivered to {@code sink}
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     * @throws NullPointerException     if the source yields {@code null}
     * @throws InterruptedException     if interrupted while waiting: both sides then stop
     */
    public static <T> long run(Iterator<? extends T> source, int capacity, Consumer<? super T> sink)
            throws InterruptedException {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        BlockingQueue<Object> buffer = new ArrayBlockingQueue<>(capacity); // bounded: put waits while it is full
        Thread producer = Thread.ofVirtual().name("producer").start(() -> {
            try {
                Object last = END;
                try {
                    while (source.hasNext()) {
                        buffer.put(Objects.requireNonNull(source.next(), "the source yielded null"));
                    }
                } catch (RuntimeException | Error e) {
                    last = new Failed(e); // the consumer throws it after the items before it
                }
                buffer.put(last); // a queue has no close(): a marker says "no more"
            } catch (InterruptedException e) {
                // the consumer stopped: nobody takes any more
            }
        });
        long delivered = 0;
        try {
            for (Object item = buffer.take(); item != END; item = buffer.take()) {
                if (item instanceof Failed(RuntimeException e)) {
                    throw e;
                }
                if (item instanceof Failed(Error e)) {
                    throw e;
                }
                @SuppressWarnings("unchecked")
                T value = (T) item;
                sink.accept(value);
                delivered++;
            }
            return delivered;
        } finally {
            producer.interrupt(); // wrong: and then does not wait for it
        }
    }

    /** The end of the items: a private object that no item can be. */
    private static final Object END = new Object();

    /** The source failed: the consumer throws {@code cause}. */
    private record Failed(Throwable cause) { // a RuntimeException or an Error
    }
}
