package workshop.channels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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

    /** One operation of this waiter, queued on one channel; compared by identity, as queue removal needs. */
    static final class Entry {
        private final Waiter waiter;
        private final int caseIndex;
        private final Object value; // what a sender sends; null for a receiver

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
     * Parks until completed, until {@code deadlineNanos} (a {@link System#nanoTime()} value; ignored when
     * {@code timed} is false) or until interrupted.
     *
     * @return the index of the case that completed it, or {@link #TIMED_OUT}
     * @throws InterruptedException if interrupted before anyone completed it; it is then claimed as
     *                              {@link #INTERRUPTED}, so no counterpart can complete it any more
     */
    int await(boolean timed, long deadlineNanos) throws InterruptedException {
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
            if (timed) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    if (claim(TIMED_OUT)) {
                        return TIMED_OUT;
                    }
                    awaitCompletion();
                    break;
                }
                LockSupport.parkNanos(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            } else {
                LockSupport.park(this);
            }
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
