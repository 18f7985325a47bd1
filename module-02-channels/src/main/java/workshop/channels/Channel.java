package workshop.channels;

import workshop.support.NotSolvedYet;

import java.util.Iterator;

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

    // TODO 02.1: the state of a channel: what it buffers, who waits, and how they wait

    /**
     * Makes a channel: {@code make(chan T, capacity)}.
     *
     * @param capacity 0 for an unbuffered channel (every send waits for its receiver), n for a buffer of n values
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public Channel(int capacity) {
        // TODO 02.1: a channel with room for capacity values
        throw new NotSolvedYet("02.1");
    }

    /**
     * Sends {@code value}: {@code ch <- value}. On an unbuffered channel, blocks until a receiver has taken the
     * value; on a buffered one, blocks only while the buffer is full.
     *
     * @throws InterruptedException   if interrupted while waiting; the value was then not sent, and the channel is
     *                                as if this call had never happened. If a receiver took the value at the same
     *                                moment, the send returns normally instead, with the interrupt status set
     * @throws ChannelClosedException if the channel is closed, or is closed while this call waits (02.2)
     * @throws NullPointerException   if {@code value} is null
     */
    public void send(T value) throws InterruptedException {
        // TODO 02.1: hand the value to a waiting receiver, or buffer it, or wait until one of those is possible
        throw new NotSolvedYet("02.1");
    }

    /**
     * Receives a value: {@code v, ok := <-ch}. Blocks until a value is there; values still buffered when the channel
     * is closed are received first, then every receive returns {@link Received#closed()} at once, forever (02.2).
     *
     * @throws InterruptedException if interrupted while waiting; nothing was then received. If a sender delivered a
     *                              value at the same moment, the receive returns it instead, with the interrupt
     *                              status set
     */
    public Received<T> receive() throws InterruptedException {
        // TODO 02.1: take the oldest value; wait while there is none
        throw new NotSolvedYet("02.1");
    }

    /**
     * Closes the channel: {@code close(ch)}. Does not block. Every receiver blocked now or later gets the buffered
     * values, then {@link Received#closed()}; every sender blocked now, and every later send, fails.
     *
     * @throws ChannelClosedException if the channel is already closed
     */
    public void close() {
        // TODO 02.2: no more values: wake everyone who waits, each with the answer a closed channel gives
        throw new NotSolvedYet("02.2");
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
        // TODO 02.3: the send of 02.1, up to the point where it would wait
        throw new NotSolvedYet("02.3");
    }

    /**
     * Receives without blocking: Go's {@code select { case v, ok := <-ch: default: }}.
     *
     * @return {@link Poll.Value} with the value taken, {@link Poll.WouldBlock} if a blocking receive would have
     *         waited, or {@link Poll.Closed} if the channel is closed and drained
     */
    public Poll<T> tryReceive() {
        // TODO 02.3: the receive of 02.1, up to the point where it would wait
        throw new NotSolvedYet("02.3");
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
        // TODO 02.4: range: receive until the channel says it is closed and drained
        throw new NotSolvedYet("02.4");
    }

    /** The number of values buffered now: {@code len(ch)}; always 0 for an unbuffered channel. Does not block. */
    public int len() {
        // TODO 02.4: how many values wait in the buffer
        throw new NotSolvedYet("02.4");
    }

    /** The capacity given at creation: {@code cap(ch)}. */
    public int cap() {
        // TODO 02.4: the capacity
        throw new NotSolvedYet("02.4");
    }
}
