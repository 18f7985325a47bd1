package workshop.patterns;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * Exercise 05.6: Publish and subscribe with backpressure
 *
 * <p>Deliver every item published to every subscriber, each at its own pace, through a buffer of bounded size per
 * subscriber: when a slow subscriber's buffer is full, {@link #publish} waits for it instead of buffering without
 * bound or dropping. A subscriber that fails is dropped alone; {@link #close} completes every subscriber and leaves no
 * thread behind.
 *
 * <pre>{@code
 * // Go has no Flow: a channel of capacity n per subscriber, and a send that blocks when it is full
 * for _, sub := range subscribers {
 *     sub <- item // the slowest subscriber sets the pace: its full buffer blocks the publisher
 * }
 * }</pre>
 *
 * @param <T> the items
 */
public final class Broadcast<T> implements Flow.Publisher<T>, AutoCloseable {

    /** A virtual thread per subscriber's delivery run: a subscriber that blocks holds no pool thread. */
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
    private final SubmissionPublisher<T> publisher;

    /**
     * A broadcast that buffers at most {@code bufferPerSubscriber} items for each subscriber that has not yet taken
     * them (a power of two, 1 to 1024).
     *
     * @throws IllegalArgumentException if {@code bufferPerSubscriber} is not a power of two from 1 to 1024
     */
    public Broadcast(int bufferPerSubscriber) {
        if (bufferPerSubscriber < 1 || bufferPerSubscriber > 1024 || Integer.bitCount(bufferPerSubscriber) != 1) {
            deliveries.close();
            throw new IllegalArgumentException("bufferPerSubscriber must be a power of two from 1 to 1024, was "
                    + bufferPerSubscriber);
        }
        publisher = new SubmissionPublisher<>(deliveries, bufferPerSubscriber);
    }

    /**
     * Adds {@code subscriber}: it gets {@code onSubscribe} and, as it requests them, the items published from then on,
     * in order, on a thread of the broadcast's (never the publisher's), one call at a time. If one of its methods
     * throws, its subscription is cancelled and it gets {@code onError} with that exception; the others go on.
     */
    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        publisher.subscribe(subscriber);
    }

    /**
     * Offers {@code item} to every current subscriber, waiting (parked, untimed) while the buffer of any of them is
     * full: the slowest subscriber sets the pace, no item is dropped and no buffer grows past its bound. The wait
     * ends only when there is room (as {@link java.util.concurrent.SubmissionPublisher#submit} does): if the caller is
     * interrupted meanwhile, it goes on waiting and returns with its interrupt status still set.
     *
     * <p>Memory consistency effects: actions before {@code publish} happen-before the subscribers' {@code onNext}
     * of that item.
     *
     * @throws IllegalStateException if the broadcast is closed
     */
    public void publish(T item) {
        publisher.submit(item); // blocks while a subscriber's buffer is full
    }

    /**
     * Closes the broadcast: every subscriber gets the items already published, then {@code onComplete} (unless it
     * failed or cancelled), and this method returns only once those calls have returned and no thread of the broadcast
     * is left. Each subscriber must go on requesting until then. Closing again does nothing.
     */
    @Override
    public void close() {
        publisher.close();   // onComplete is queued behind each subscriber's buffered items
        deliveries.close();  // waits until every delivery run, onComplete included, has ended
    }
}
