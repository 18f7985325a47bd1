package workshop.scenarios.jobs.adapter.sqlite;

import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Threads that do one step each per round, all at once: each round starts when every thread has reached the
 * barrier, which is where a race between a read and a write shows. A thread that fails breaks the barrier, so that
 * the others end too, and its failure is the one reported.
 */
final class SqliteRounds {

    /** One thread's step in one round. */
    @FunctionalInterface
    interface Step {
        void run(String thread, SqliteJobQueue queue, int round) throws Exception;
    }

    private SqliteRounds() {
    }

    /** Runs {@code rounds} rounds, one thread per entry of {@code queues} (its name and the queue it uses). */
    static void run(String exercise, int rounds, Map<String, SqliteJobQueue> queues, Step step) throws Exception {
        CyclicBarrier together = new CyclicBarrier(queues.size());
        List<Background<Void>> threads = new ArrayList<>();
        queues.forEach((name, queue) -> threads.add(Background.run(exercise + " " + name, () -> {
            try {
                for (int round = 0; round < rounds; round++) {
                    together.await();
                    step.run(name, queue, round);
                }
            } catch (Throwable t) {
                together.reset();
                throw t;
            }
        })));
        Throwable first = null;
        for (Background<Void> thread : threads) {
            try {
                thread.await(Patience.seconds(30));
            } catch (Throwable t) {
                Throwable cause = t instanceof Background.CallFailed ? t.getCause() : t;
                if (first == null || first instanceof BrokenBarrierException) {
                    first = cause;
                }
                together.reset();
            }
        }
        if (first instanceof Exception e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }
}
