// Wrong answer for 02.11: the time left is measured with the system clock (Instant.now()), not the clock given
package workshop.channels;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Exercise 02.11: A batch with one deadline
 *
 * <p>Gather up to {@code max} items, but wait no longer than a deadline for the whole batch: each wait may last only
 * as long as the time left, not a fresh timeout per item. Time comes from the clock you are given.
 *
 * <pre>{@code
 * timer := time.After(d)                  // one timer for the whole batch
 * for len(batch) < max {
 *     select {
 *     case v := <-ch: batch = append(batch, v)
 *     case <-timer:   return batch
 *     }
 * }
 * }</pre>
 */
public final class DeadlineBatch {

    private DeadlineBatch() {
    }

    /**
     * Takes items from {@code source} until it has {@code max} of them or {@code deadline} has come, whichever is
     * first, and returns them in the order taken. Waits only while the batch is not full and only until the deadline,
     * as told by {@code clock}; it never waits without a time limit. Once the deadline has passed, it still takes the
     * items that are available at once, without waiting, up to {@code max}: a deadline already past returns at once
     * with what is there (maybe nothing).
     *
     * <p>Memory consistency effects: as for {@link BlockingQueue}: actions prior to putting an item into the queue
     * happen-before actions following the return of the batch that holds it.
     *
     * @param clock the time source for "now": the deadline is measured with it, never with the system clock
     * @return the items taken, at most {@code max}, possibly none
     * @throws IllegalArgumentException if {@code max} is less than 1
     * @throws InterruptedException     if interrupted while waiting; the items taken so far are then lost
     */
    public static <T> List<T> collect(BlockingQueue<? extends T> source, int max, Instant deadline, InstantSource clock)
            throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        List<T> batch = new ArrayList<>(max);
        while (batch.size() < max) {
            Duration left = Duration.between(Instant.now(), deadline); // wrong: the system clock // the time left shrinks with every wait
            T item = left.isPositive()
                    ? source.poll(left.toNanos(), TimeUnit.NANOSECONDS)
                    : source.poll(); // past the deadline: only what is there already
            if (item == null) {
                break; // the deadline came: case <-timer
            }
            batch.add(item);
        }
        return batch;
    }
}
