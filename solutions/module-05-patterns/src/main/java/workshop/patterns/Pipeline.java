package workshop.patterns;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    /** The end of the stream, sent downstream when the source runs out (a queue cannot hold null). */
    private static final Object END = new Object();

    private Pipeline() {
    }

    private interface Stage {
        void run() throws Exception;
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
    @SuppressWarnings("unchecked")
    public static <A, B> void run(Iterator<? extends A> source, Function<? super A, ? extends B> transform,
                                  Predicate<? super B> sink, int capacity)
            throws ExecutionException, InterruptedException {
        BlockingQueue<Object> produced = new ArrayBlockingQueue<>(capacity);
        BlockingQueue<Object> transformed = new ArrayBlockingQueue<>(capacity);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] stages = new Thread[3];
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable cancelAll = () -> {
            cancelled.set(true); // a stage not yet running sees this; one running gets the interrupt
            for (Thread stage : stages) {
                stage.interrupt();
            }
        };
        Stage producer = () -> {
            while (source.hasNext()) {
                produced.put(source.next());
            }
            produced.put(END);
        };
        Stage transformer = () -> {
            for (Object a = produced.take(); a != END; a = produced.take()) {
                transformed.put(transform.apply((A) a));
            }
            transformed.put(END);
        };
        Stage consumer = () -> {
            for (Object b = transformed.take(); b != END; b = transformed.take()) {
                if (!sink.test((B) b)) {
                    cancelAll.run(); // done: close(done)
                    return;
                }
            }
        };
        List<Stage> bodies = List.of(producer, transformer, consumer);
        String[] names = {"producer", "transformer", "consumer"};
        for (int i = 0; i < 3; i++) {
            Stage body = bodies.get(i);
            stages[i] = Thread.ofPlatform().name("pipeline-" + names[i]).unstarted(() -> {
                try {
                    if (!cancelled.get()) {
                        body.run();
                    }
                } catch (InterruptedException stopped) {
                    // another stage stopped the pipeline: nothing to report
                } catch (Throwable t) {
                    if (failure.compareAndSet(null, t)) {
                        cancelAll.run();
                    }
                }
            });
        }
        for (Thread stage : stages) {
            stage.start();
        }
        boolean interrupted = false;
        for (Thread stage : stages) {
            while (true) {
                try {
                    stage.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancelAll.run(); // the caller's cancellation reaches every stage; then wait for them
                }
            }
        }
        if (interrupted) {
            throw new InterruptedException("pipeline cancelled by the caller");
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw new ExecutionException(failed);
        }
    }
}
