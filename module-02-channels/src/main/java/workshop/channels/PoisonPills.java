package workshop.channels;

import workshop.support.NotSolvedYet;

import java.util.List;
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
        // TODO 02.8: consumers that stop at a pill, one pill each; a pill no item can ever be
        throw new NotSolvedYet("02.8");
    }
}
