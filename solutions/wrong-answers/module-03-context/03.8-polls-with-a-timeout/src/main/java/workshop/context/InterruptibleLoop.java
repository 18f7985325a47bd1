// Wrong answer for 03.8: polls with a 1 ms time-out in a loop and checks the flag, instead of blocking in take()
package workshop.context;

import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Exercise 03.8: Answer interruption in a blocking loop
 *
 * <p>Java has no {@code ctx.Done()}: a thread is cancelled by interrupting it. A consumer loop shaped like a
 * {@link Runnable} cannot throw {@link InterruptedException}, so when it is interrupted it must stop promptly and tell
 * its caller by leaving the thread's interrupt flag set.
 *
 * <pre>{@code
 * for {
 *     select {
 *     case <-ctx.Done():
 *         return            // cancelled: stop now
 *     case item := <-source:
 *         sink(item)
 *     }
 * }
 * }</pre>
 */
public final class InterruptibleLoop {

    private InterruptibleLoop() {
    }

    /**
     * Takes items from {@code source}, one at a time in queue order, and hands each to {@code sink}, until the
     * current thread is interrupted; then returns normally, promptly, without taking another item.
     *
     * <p>Blocks while {@code source} is empty. Interruption, whether it arrives while waiting for an item or while
     * {@code sink} works, ends the loop: the method returns with the current thread's interrupt status set, so that
     * whoever runs this loop (an executor, a {@link Thread}'s run method) can still see the request to stop. If the
     * thread is interrupted on entry, it returns at once. An exception thrown by {@code sink} ends the loop and
     * propagates.
     *
     * <p>Memory consistency effects: those of {@code source}; actions before putting an item happen-before
     * {@code sink} receives it.
     */
    public static <T> void drain(BlockingQueue<T> source, Consumer<? super T> sink) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                T item = source.poll(1, java.util.concurrent.TimeUnit.MILLISECONDS); // polls
                if (item != null) {
                    sink.accept(item);
                }
            }
            return;
        } catch (InterruptedException e) {
            // the throw cleared the flag: set it again, so that whoever runs this loop sees the request to stop
            Thread.currentThread().interrupt();
        }
    }
}
