package workshop.patterns;

import workshop.support.NotSolvedYet;

import java.util.concurrent.Flow;

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

    /**
     * A broadcast that buffers at most {@code bufferPerSubscriber} items for each subscriber that has not yet taken
     * them (a power of two, 1 to 1024).
     *
     * @throws IllegalArgumentException if {@code bufferPerSubscriber} is not a power of two from 1 to 1024
     */
    public Broadcast(int bufferPerSubscriber) {
        // TODO 05.6: the JDK has a Flow.Publisher with a bounded buffer per subscriber; choose who runs the
        //  deliveries (subscribers may block) and how big each buffer is
        throw new NotSolvedYet("05.6");
    }

    /**
     * Adds {@code subscriber}: it gets {@code onSubscribe} and, as it requests them, the items published from then on,
     * in order, on a thread of the broadcast's (never the publisher's), one call at a time. If one of its methods
     * throws, its subscription is cancelled and it gets {@code onError} with that exception; the others go on.
     */
    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        // TODO 05.6: hand it over
        throw new NotSolvedYet("05.6");
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
        // TODO 05.6: block when full; never drop, never buffer without bound
        throw new NotSolvedYet("05.6");
    }

    /**
     * Closes the broadcast: every subscriber gets the items already published, then {@code onComplete} (unless it
     * failed or cancelled), and this method returns only once those calls have returned and no thread of the broadcast
     * is left. Each subscriber must go on requesting until then. Closing again does nothing.
     */
    @Override
    public void close() {
        // TODO 05.6: complete every subscriber, then wait for the threads that deliver to them
        throw new NotSolvedYet("05.6");
    }
}
