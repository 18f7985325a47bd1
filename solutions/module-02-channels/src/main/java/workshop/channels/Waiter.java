package workshop.channels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A thread parked on one or more channels: a plain send or receive (one case), or a whole {@link Select} (one case
 * per channel operation). Go's runtime calls the same thing a sudog, one per channel the goroutine waits on, all
 * pointing at one goroutine.
 *
 * <p>The waiter is completed at most once: whoever completes it must first win {@link #claim(int)}. A counterpart
 * that loses (the select was already completed on another channel, timed out or was interrupted) drops the stale
 * waiter and looks for the next one. The winner fills in the outcome and then calls {@link #complete}, which
 * publishes it and wakes the thread.
 */
final class Waiter {

    static final int WAITING = -1;
    static final int TIMED_OUT = -2;
    static final int INTERRUPTED = -3;

    private final Thread thread = Thread.currentThread();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private Object received;            // written before complete(), read after done
    private boolean closed;             // the channel was closed: a receive gets (null, false), a send fails
    private volatile boolean done;      // publishes received and closed

    /**
     * One operation of this waiter, queued on one channel: a node of that channel's {@link Queue}. Its links are
     * guarded by the lock of the channel whose queue holds it.
     */
    static final class Entry {
        private final Waiter waiter;
        private final int caseIndex;
        private final Object value; // what a sender sends; null for a receiver
        private Queue queue;        // the queue that holds this entry, or null
        private Entry previous;
        private Entry next;

        Entry(Waiter waiter, int caseIndex, Object value) {
            this.waiter = waiter;
            this.caseIndex = caseIndex;
            this.value = value;
        }

        Waiter waiter() {
            return waiter;
        }

        Object value() {
            return value;
        }

        /** Claims the waiter for this entry's case; false if it was completed, timed out or interrupted already. */
        boolean claim() {
            return waiter.claim(caseIndex);
        }
    }

    /**
     * A FIFO of parked parties on one channel (Go's {@code waitq}): a doubly linked list through the entries
     * themselves, so that a party that leaves (interrupted, timed out, or a select completed on another channel)
     * unlinks its entry in constant time, however many others wait. Guarded by the channel's lock.
     */
    static final class Queue {
        private Entry head;
        private Entry tail;

        void addLast(Entry entry) {
            entry.queue = this;
            entry.previous = tail;
            entry.next = null;
            if (tail == null) {
                head = entry;
            } else {
                tail.next = entry;
            }
            tail = entry;
        }

        /** Takes the longest-waiting entry out, or returns null if none waits. */
        Entry pollFirst() {
            Entry first = head;
            if (first != null) {
                unlink(first);
            }
            return first;
        }

        /** Takes {@code entry} out if this queue holds it: O(1). */
        void remove(Entry entry) {
            if (entry.queue == this) {
                unlink(entry);
            }
        }

        /** Takes every entry out, oldest first, and gives it to {@code action}. */
        void drain(Consumer<Entry> action) {
            for (Entry entry; (entry = pollFirst()) != null; ) {
                action.accept(entry);
            }
        }

        private void unlink(Entry entry) {
            if (entry.previous == null) {
                head = entry.next;
            } else {
                entry.previous.next = entry.next;
            }
            if (entry.next == null) {
                tail = entry.previous;
            } else {
                entry.next.previous = entry.previous;
            }
            entry.queue = null;
            entry.previous = null;
            entry.next = null;
        }
    }

    boolean claim(int outcome) {
        return state.compareAndSet(WAITING, outcome);
    }

    /** Completes a claimed waiter: a received value (or, with {@code closed}, the channel's closing) and wakes it. */
    void complete(Object value, boolean closed) {
        this.received = value;
        this.closed = closed;
        this.done = true;
        LockSupport.unpark(thread);
    }

    Object received() {
        return received;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Parks until completed, until {@code timeoutNanos} have passed since {@code startNanos} (both in
     * {@link System#nanoTime()}'s units; {@code Long.MAX_VALUE} means never) or until interrupted. Spurious wake-ups
     * are absorbed: it returns only when one of those has happened.
     *
     * @return the index of the case that completed it, or {@link #TIMED_OUT}
     * @throws InterruptedException if interrupted before anyone completed it; it is then claimed as
     *                              {@link #INTERRUPTED}, so no counterpart can complete it any more
     */
    int await(long startNanos, long timeoutNanos) throws InterruptedException {
        while (!done) {
            if (Thread.interrupted()) {
                if (claim(INTERRUPTED)) {
                    throw new InterruptedException();
                }
                // a counterpart won the race: the operation happened, so report it, and keep the interrupt
                awaitCompletion();
                Thread.currentThread().interrupt();
                break;
            }
            if (timeoutNanos == Long.MAX_VALUE) {
                LockSupport.park(this); // untimed: WAITING
                continue;
            }
            // elapsed, not a deadline: now + timeout could overflow, now - start cannot (for 292 years)
            long left = timeoutNanos - (System.nanoTime() - startNanos);
            if (left <= 0) {
                if (claim(TIMED_OUT)) {
                    return TIMED_OUT;
                }
                awaitCompletion();
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        return state.get();
    }

    /** After a lost claim: the winner holds a channel lock and completes at once. */
    private void awaitCompletion() {
        boolean interrupted = false;
        while (!done) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
