// Wrong answer for 03.14: waits on after an interrupt but never sets the interrupt status again
package workshop.context;

import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;

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
 */
public final class WorkerTree {

    /** The work of one sub-worker: runs until it is done or its thread is interrupted. */
    @FunctionalInterface
    public interface Leaf {
        /** Does the work of sub-worker {@code subWorker} of worker {@code worker}; answers interruption by ending. */
        void run(int worker, int subWorker) throws Exception;
    }

    private final Thread supervisor;

    private WorkerTree(Thread supervisor) {
        this.supervisor = supervisor;
    }

    /**
     * Starts {@code workers} workers, each of which starts {@code subWorkersEach} sub-workers that run {@code leaf};
     * returns at once, while they start. Each of the workers × sub-workers runs on a thread of its own.
     */
    public static WorkerTree start(int workers, int subWorkersEach, Leaf leaf) {
        // the supervisor owns a scope of workers, each worker owns a scope of sub-workers: closing a scope
        // interrupts its forks and waits for them, so interrupting the supervisor reaches the leaves and waits
        Thread supervisor = Thread.ofVirtual().name("supervisor").start(() -> {
            try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAll())) {
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    scope.fork(() -> {
                        runWorker(worker, subWorkersEach, leaf);
                        return null;
                    });
                }
                scope.join();
            } catch (InterruptedException e) {
                // stopped: close() above has interrupted every worker and waited for it
            }
        });
        return new WorkerTree(supervisor);
    }

    private static void runWorker(int worker, int subWorkersEach, Leaf leaf) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAll())) {
            for (int s = 0; s < subWorkersEach; s++) {
                int subWorker = s;
                scope.fork(() -> {
                    leaf.run(worker, subWorker);
                    return null;
                });
            }
            scope.join(); // throws when the supervisor's scope interrupts this worker; close() then stops the leaves
        }
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
        supervisor.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                supervisor.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the contract is "no thread of the tree runs after stop"
            }
        }
        // forgot: if (interrupted) Thread.currentThread().interrupt();
    }
}
