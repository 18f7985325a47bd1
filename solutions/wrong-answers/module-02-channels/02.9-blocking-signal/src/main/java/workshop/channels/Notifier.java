// Wrong answer for 02.9: signal() waits until there is room (put) instead of dropping a signal when one is pending already
package workshop.channels;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Exercise 02.9: Coalescing notifier
 *
 * <p>"Something changed, look again": a signal that never blocks the signaller, where many signals while nobody
 * looks count as one, and none after the last change is lost. Go uses a channel of capacity 1 and a send that gives
 * up when the buffer is full.
 *
 * <pre>{@code
 * changed := make(chan struct{}, 1)
 * select { case changed <- struct{}{}: default: }  // signal: never blocks; one pending is enough
 * <-changed                                        // await: at least one signal since the last await
 * }</pre>
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #signal()} happen-before actions following the
 * return of the {@link #await()} that this signal released, or of the next {@link #await()} if it coalesced with a
 * pending signal.
 */
public final class Notifier {

    private static final Object SIGNAL = new Object();

    private final BlockingQueue<Object> pending = new ArrayBlockingQueue<>(1); // make(chan struct{}, 1)

    /**
     * Signals: leaves one signal pending for the next {@link #await()}, unless one is pending already, in which case
     * this signal coalesces with it. Never waits for an awaiter; it may briefly wait for another thread that is
     * signalling or awaiting at the same moment.
     */
    public void signal() {
        try {
            pending.put(SIGNAL); // wrong: waits while a signal is pending
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Blocks until a signal is pending, then consumes it: returns at once if a signal arrived since the last await
     * returned. The waiting thread parks: it does not spin.
     *
     * @throws InterruptedException if interrupted while waiting; no signal is then consumed
     */
    public void await() throws InterruptedException {
        pending.take();
    }
}
