package workshop.context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Exercise 03.14: Cancel a tree of workers
 *
 * <p>A supervisor runs workers, each worker runs sub-workers. Stopping the supervisor must stop the whole tree and
 * return only when every thread of it has ended: cancellation flows down, completion flows up. Nested
 * {@code StructuredTaskScope}s (JEP 505) give that shape; threads started with {@code Thread.ofVirtual().start}
 * have no parent to stop them.
 *
 * <pre>{@code
 * ctx, cancel := context.WithCancel(ctx)
 * var wg sync.WaitGroup
 * for w := range workers {
 *     wg.Add(1)
 *     go func() { defer wg.Done(); for s := range subWorkers { wg.Add(1); go func() { defer wg.Done(); leaf(ctx, w, s) }() } }()
 * }
 * stop := func() { cancel(); wg.Wait() }   // returns when every goroutine of the tree has returned
 * }</pre>
 *
 * <p>This starter works, but its {@link #stop()} returns while the sub-workers still run: nobody cancels them.
 */
public final class WorkerTree {

    /** The work of one sub-worker: runs until it is done or its thread is interrupted. */
    @FunctionalInterface
    public interface Leaf {
        /** Does the work of sub-worker {@code subWorker} of worker {@code worker}; answers interruption by ending. */
        void run(int worker, int subWorker) throws Exception;
    }

    private final List<Thread> workers;

    private WorkerTree(List<Thread> workers) {
        this.workers = workers;
    }

    /**
     * Starts {@code workers} workers, each of which starts {@code subWorkersEach} sub-workers that run {@code leaf};
     * returns at once, while they start. Each of the workers × sub-workers runs on a thread of its own.
     */
    public static WorkerTree start(int workers, int subWorkersEach, Leaf leaf) {
        // TODO 03.14: a tree whose stop reaches every sub-worker and waits for it; these threads have no parent
        List<Thread> started = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            started.add(Thread.ofVirtual().name("worker-" + worker).start(() -> {
                for (int s = 0; s < subWorkersEach; s++) {
                    int subWorker = s;
                    Thread.ofVirtual().name("worker-" + worker + "-sub-" + subWorker).start(() -> {
                        try {
                            leaf.run(worker, subWorker);
                        } catch (Exception e) {
                            // a sub-worker that fails or is interrupted just ends
                        }
                    });
                }
                try {
                    new CountDownLatch(1).await(); // a worker lives until it is stopped
                } catch (InterruptedException e) {
                    // stopped
                }
            }));
        }
        return new WorkerTree(started);
    }

    /**
     * Stops the whole tree: cancels every worker and sub-worker by interruption and returns only when every one of
     * them has ended. Calling it again returns at once. Waits without answering interruption: once it returns, no
     * thread of the tree runs. If the calling thread is interrupted before or while it waits, it goes on waiting,
     * and returns with the thread's interrupt status set.
     *
     * <p>Memory consistency effects: actions of every thread of the tree happen-before this method returns.
     */
    public void stop() {
        for (Thread worker : workers) {
            worker.interrupt();
        }
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (true) {
                try {
                    worker.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
