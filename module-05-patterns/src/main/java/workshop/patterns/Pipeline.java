package workshop.patterns;

import workshop.support.NotSolvedYet;

import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Exercise 05.3: A pipeline that stops
 *
 * <p>Three stages, each on a thread of its own, joined by bounded queues: a producer, a transformer, a consumer. When
 * the consumer stops early (it has what it wants, or it fails), every stage stops and the producer produces no more.
 *
 * <pre>{@code
 * done := make(chan struct{})
 * defer close(done)                     // when the consumer stops, every stage sees done and returns
 * in := gen(done, source)               // select { case out <- v: case <-done: return }
 * out := sq(done, in)
 * for v := range out { if !want(v) { break } }
 * }</pre>
 */
public final class Pipeline {

    private Pipeline() {
    }

    /**
     * Runs {@code source} → {@code transform} → {@code sink}, each stage on a thread of its own, the stages joined by
     * bounded queues of {@code capacity} elements each (a producer never gets further ahead of a slow consumer than
     * the queues hold), and returns when the pipeline has stopped.
     *
     * <p>The pipeline stops when the source has no more elements and everything it produced has reached the sink;
     * when the sink returns {@code false} (it wants no more); or when a stage throws. Stopping early cancels every
     * stage by interrupting its thread: a stage blocked on a full or empty queue returns, the producer stops asking
     * the source for elements. This method returns or throws only after every stage thread has ended.
     *
     * <p>If the caller is interrupted, the stages are cancelled the same way and waited for, and this method throws
     * {@link InterruptedException} with the interrupt status clear.
     *
     * <p>Memory consistency effects: actions in every stage happen-before this method returns or throws.
     *
     * @param capacity the capacity of each queue between two stages, at least 1
     * @throws ExecutionException if a stage threw (the first failure is the cause); the others were cancelled
     * @throws InterruptedException if the caller was interrupted (every stage has ended by then)
     */
    public static <A, B> void run(Iterator<? extends A> source, Function<? super A, ? extends B> transform,
                                  Predicate<? super B> sink, int capacity)
            throws ExecutionException, InterruptedException {
        // TODO 05.3: a stage that stops must make every other stage stop too, even one blocked on a full queue;
        //  and the caller's answer comes only once no stage runs
        throw new NotSolvedYet("05.3");
    }
}
