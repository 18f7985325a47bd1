package workshop.channels;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A channel with Go's semantics, built in four steps (and {@link Select} on top, 02.5):
 * <ul>
 * <li>Exercise 02.1: Channel: send and receive
 * <li>Exercise 02.2: Channel: close
 * <li>Exercise 02.3: Channel: send and receive without blocking
 * <li>Exercise 02.4: Channel: range, len and cap
 * </ul>
 *
 * <pre>{@code
 * ch := make(chan string)      // new Channel<String>(0): unbuffered, a rendezvous
 * jobs := make(chan Job, 16)   // new Channel<Job>(16): buffered
 * ch <- "hi"                   // ch.send("hi")
 * v, ok := <-ch                // Received<String> r = ch.receive()
 * close(ch)                    // ch.close()
 * for v := range ch { ... }    // for (String v : ch) { ... }
 * }</pre>
 *
 * <p>Values are handed over in the order they were sent (FIFO), each to exactly one receiver. {@code null} is not a
 * value: it cannot be sent.
 *
 * <p>Memory consistency effects: actions in a thread prior to sending a value happen-before actions subsequent to
 * the receive of that value in another thread; actions prior to {@link #close()} happen-before a receive that
 * returns {@link Received#closed()} because of it.
 *
 * @param <T> the type of the values
 */
public final class Channel<T> implements Iterable<T> {

    private static final AtomicLong IDS = new AtomicLong();

    /** The order in which a {@link Select} locks its channels, so that two selects never lock in opposite orders. */
    final long id = IDS.incrementAndGet();
    final ReentrantLock lock = new ReentrantLock();
    private final int capacity;
    private final ArrayDeque<T> buffer;
    private final Waiter.Queue receivers = new Waiter.Queue(); // Go's recvq
    private final Waiter.Queue senders = new Waiter.Queue();   // Go's sendq; each entry holds its value
    private boolean closed;

    /**
     * Makes a channel: {@code make(chan T, capacity)}.
     *
     * @param capacity 0 for an unbuffered channel (every send waits for its receiver), n for a buffer of n values
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public Channel(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative channel capacity: " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /**
     * Sends {@code value}: {@code ch <- value}. On an unbuffered channel, blocks until a receiver has taken the
     * value; on a buffered one, blocks only while the buffer is full.
     *
     * @throws InterruptedException   if interrupted while waiting; the value was then not sent, and the channel is
     *                                as if this call had never happened
     * @throws ChannelClosedException if the channel is closed, or is closed while this call waits (02.2)
     * @throws NullPointerException   if {@code value} is null
     */
    public void send(T value) throws InterruptedException {
        Objects.requireNonNull(value, "a channel does not carry null");
        Waiter waiter;
        Waiter.Entry entry;
        lock.lock();
        try {
            if (offerLocked(value)) {
                return;
            }
            waiter = new Waiter();
            entry = new Waiter.Entry(waiter, 0, value);
            senders.addLast(entry);
        } finally {
            lock.unlock();
        }
        park(waiter, entry);
        if (waiter.closed()) {
            throw new ChannelClosedException("send on closed channel");
        }
    }

    /**
     * Receives a value: {@code v, ok := <-ch}. Blocks until a value is there; values still buffered when the channel
     * is closed are received first, then every receive returns {@link Received#closed()} at once, forever (02.2).
     *
     * @throws InterruptedException if interrupted while waiting; nothing was then received
     */
    @SuppressWarnings("unchecked")
    public Received<T> receive() throws InterruptedException {
        Waiter waiter;
        Waiter.Entry entry;
        lock.lock();
        try {
            Received<T> ready = pollLocked();
            if (ready != null) {
                return ready;
            }
            waiter = new Waiter();
            entry = new Waiter.Entry(waiter, 0, null);
            receivers.addLast(entry);
        } finally {
            lock.unlock();
        }
        park(waiter, entry);
        return waiter.closed() ? Received.closed() : Received.of((T) waiter.received());
    }

    /** Waits for a counterpart; on interruption, takes the entry out of its queue so that nothing is left behind. */
    private void park(Waiter waiter, Waiter.Entry entry) throws InterruptedException {
        try {
            waiter.await(0, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            remove(entry);
            throw e;
        }
    }

    /**
     * Closes the channel: {@code close(ch)}. Does not block. Every receiver blocked now or later gets the buffered
     * values, then {@link Received#closed()}; every sender blocked now, and every later send, fails.
     *
     * @throws ChannelClosedException if the channel is already closed
     */
    public void close() {
        lock.lock();
        try {
            if (closed) {
                throw new ChannelClosedException("close of closed channel");
            }
            closed = true;
            // only an empty buffer has parked receivers, and only a full one parked senders: wake them all
            receivers.drain(Channel::completeClosed);
            senders.drain(Channel::completeClosed);
        } finally {
            lock.unlock();
        }
    }

    private static void completeClosed(Waiter.Entry entry) {
        if (entry.claim()) { // else stale: a select completed elsewhere, or a party that gave up
            entry.waiter().complete(null, true);
        }
    }

    /**
     * Sends without blocking: Go's {@code select { case ch <- v: default: }}. On an unbuffered channel it succeeds
     * only if a receiver is waiting at this moment.
     *
     * @return true if the value was handed to a receiver or buffered, false if a blocking send would have waited
     * @throws ChannelClosedException if the channel is closed
     * @throws NullPointerException   if {@code value} is null
     */
    public boolean trySend(T value) {
        Objects.requireNonNull(value, "a channel does not carry null");
        lock.lock();
        try {
            return offerLocked(value);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Receives without blocking: Go's {@code select { case v, ok := <-ch: default: }}.
     *
     * @return {@link Poll.Value} with the value taken, {@link Poll.WouldBlock} if a blocking receive would have
     *         waited, or {@link Poll.Closed} if the channel is closed and drained
     */
    public Poll<T> tryReceive() {
        lock.lock();
        try {
            Received<T> ready = pollLocked();
            if (ready == null) {
                return new Poll.WouldBlock<>();
            }
            return ready.ok() ? new Poll.Value<>(ready.value()) : new Poll.Closed<>();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Iterates over the values received: {@code for v := range ch}. {@code hasNext()} blocks until a value is there,
     * and returns false exactly when the channel is closed and drained. Each value goes to one iteration only,
     * as with {@link #receive()}.
     *
     * @throws ChannelInterruptedException from {@code hasNext()} if interrupted while waiting (the interrupt status
     *                                     is set again)
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Received<T> next; // received but not yet returned by next()

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = receive();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ChannelInterruptedException(e);
                    }
                }
                return next.ok();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the channel is closed and drained");
                }
                T value = next.value();
                next = null;
                return value;
            }
        };
    }

    /** The number of values buffered now: {@code len(ch)}; always 0 for an unbuffered channel. Does not block. */
    public int len() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    /** The capacity given at creation: {@code cap(ch)}. */
    public int cap() {
        return capacity;
    }

    // ---- the non-blocking core, shared with Select; the caller holds the lock ----

    /**
     * Sends if that needs no waiting: to the first parked receiver still waiting, else into the buffer.
     *
     * @return false if a blocking send would wait
     * @throws ChannelClosedException if closed
     */
    boolean offerLocked(Object value) {
        if (closed) {
            throw new ChannelClosedException("send on closed channel");
        }
        for (Waiter.Entry receiver; (receiver = receivers.pollFirst()) != null; ) {
            if (receiver.claim()) { // else a stale entry: its select completed elsewhere, or gave up
                receiver.waiter().complete(value, false);
                return true;
            }
        }
        if (buffer.size() < capacity) {
            buffer.addLast(cast(value));
            return true;
        }
        return false;
    }

    /** Receives if that needs no waiting; {@code null} if a blocking receive would wait. */
    Received<T> pollLocked() {
        if (!buffer.isEmpty()) {
            T value = buffer.pollFirst();
            // a slot is free: the longest-waiting sender moves its value into it, and is released
            for (Waiter.Entry sender; (sender = senders.pollFirst()) != null; ) {
                if (sender.claim()) {
                    buffer.addLast(cast(sender.value()));
                    sender.waiter().complete(null, false);
                    break;
                }
            }
            return Received.of(value);
        }
        for (Waiter.Entry sender; (sender = senders.pollFirst()) != null; ) {
            if (sender.claim()) { // unbuffered: straight from the sender's hand
                sender.waiter().complete(null, false);
                return Received.of(cast(sender.value()));
            }
        }
        return closed ? Received.closed() : null;
    }

    void enqueueLocked(Waiter.Entry entry, boolean isSend) {
        (isSend ? senders : receivers).addLast(entry);
    }

    /** Takes {@code entry} out of its queue, if it is still there: O(1), however many others wait. */
    void remove(Waiter.Entry entry) {
        lock.lock();
        try {
            removeLocked(entry);
        } finally {
            lock.unlock();
        }
    }

    void removeLocked(Waiter.Entry entry) {
        receivers.remove(entry);
        senders.remove(entry);
    }

    @SuppressWarnings("unchecked")
    private T cast(Object value) {
        return (T) value;
    }
}
