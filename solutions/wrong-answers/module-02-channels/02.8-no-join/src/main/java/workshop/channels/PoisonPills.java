// Wrong answer for 02.8: process returns once the pills are in the queue, without waiting for the consumers
package workshop.channels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Exercise 02.8: Poison pills
 *
 * <p>Several consumers share one queue. Go closes the channel to tell every consumer "no more"; a Java queue cannot
 * be closed, so the producer sends one poison pill per consumer, after the last item: each consumer that takes a pill
 * stops.
 *
 * <pre>{@code
 * jobs := make(chan T)
 * for range consumers { wg.Go(func() { for item := range jobs { handle(item) } }) }
 * for _, item := range items { jobs <- item }
 * close(jobs)   // no more: every range loop ends
 * wg.Wait()
 * }</pre>
 */
public final class PoisonPills {

    private PoisonPills() {
    }

    /**
     * Handles every item exactly once, on {@code consumers} threads that take items from one shared queue. Starts the
     * consumers, hands them every item, then tells each of them to stop, and returns when every consumer has ended.
     * Items are arbitrary objects: an item is never mistaken for the signal to stop, whatever its {@code equals}
     * says. {@code handler} should not throw.
     *
     * <p>Memory consistency effects: actions prior to the call happen-before every call of {@code handler}, and every
     * call of {@code handler} happens-before the return of this method.
     *
     * @throws IllegalArgumentException if {@code consumers} is less than 1
     * @throws NullPointerException     if an item is {@code null}; nothing is then handled and no thread started
     * @throws InterruptedException     if interrupted while waiting; the consumers are then interrupted and stop
     */
    public static <T> void process(List<? extends T> items, int consumers, Consumer<? super T> handler)
            throws InterruptedException {
        if (consumers < 1) {
            throw new IllegalArgumentException("consumers must be at least 1: " + consumers);
        }
        items.forEach(item -> Objects.requireNonNull(item, "an item is null"));
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        List<Thread> workers = new ArrayList<>(consumers);
        for (int i = 0; i < consumers; i++) {
            workers.add(Thread.ofVirtual().name("consumer-" + i).start(() -> {
                try {
                    for (Object item = queue.take(); item != PILL; item = queue.take()) { // identity, not equals
                        @SuppressWarnings("unchecked")
                        T value = (T) item;
                        handler.accept(value);
                    }
                } catch (InterruptedException e) {
                    // process was interrupted: stop
                }
            }));
        }
        try {
            queue.addAll(items);
            for (int i = 0; i < consumers; i++) {
                queue.put(PILL); // one each: a consumer that has taken its pill takes nothing more
            }
            // wrong: nobody waits for the consumers
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            throw e;
        }
    }

    /** The pill: a private object, so no item can be it. */
    private static final Object PILL = new Object();
}
