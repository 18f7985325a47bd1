package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.rethrowFailures;

@Tag("03.7")
@DisplayName("03.7 Context: a tree cancelled from many threads")
class ContextTreeTest {

    private static final int NODES = 500;
    private static final int CANCELLERS = 8;
    private static final int CREATORS = 2;
    private static final int REGISTRARS = 2;
    private static final int ROUNDS = 5;

    @Test
    @TimeLimit(seconds = 30)
    @DisplayName("a tree of 500 contexts cancelled from 8 threads while others add children and afterFuncs ends "
                 + "fully done, consistent and empty")
    void treeCancelledFromManyThreads() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            oneRound(round);
        }
    }

    private void oneRound(int round) throws Exception {
        Random shape = new Random(0x03_07L * 1_000 + round);
        Cancellable root = Context.withCancel(Context.background());
        List<Cancellable> nodes = new CopyOnWriteArrayList<>();
        nodes.add(root);
        for (int i = 1; i < NODES; i++) {
            Context parent = nodes.get(shape.nextInt(nodes.size())).context();
            if (shape.nextInt(5) == 0) {
                parent = Context.withValue(parent, Key.named("level"), i); // value links pass cancellation on
            }
            nodes.add(Context.withCancel(parent));
        }
        Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger registered = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            registerAfterFunc(nodes.get(shape.nextInt(NODES)).context(), registered, runs);
        }

        int threads = CANCELLERS + CREATORS + REGISTRARS;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < CANCELLERS; t++) {
                Random pick = new Random(shape.nextLong());
                boolean cancelsTheRoot = t == 0;
                workers.add(pool.submit(() -> {
                    start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    for (int i = 0; i < 40; i++) {
                        nodes.get(pick.nextInt(NODES)).cancel();
                        if (cancelsTheRoot && i == 20) {
                            root.cancel();
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < CREATORS; t++) {
                Random pick = new Random(shape.nextLong());
                workers.add(pool.submit(() -> {
                    start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    for (int i = 0; i < 100; i++) {
                        nodes.add(Context.withCancel(nodes.get(pick.nextInt(NODES)).context()));
                    }
                    return null;
                }));
            }
            for (int t = 0; t < REGISTRARS; t++) {
                Random pick = new Random(shape.nextLong());
                workers.add(pool.submit(() -> {
                    start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    for (int i = 0; i < 100; i++) {
                        registerAfterFunc(nodes.get(pick.nextInt(NODES)).context(), registered, runs);
                    }
                    return null;
                }));
            }
            await("[03.7] round " + round + ": 12 threads cancelling, creating children and registering afterFuncs "
                  + "on one tree to finish: a deadlock? Take locks in one order (parent before child) or not at all "
                  + "while calling into another context (README 03.7)")
                    .atMost(PATIENCE).until(() -> {
                        rethrowFailures(workers);
                        return workers.stream().allMatch(Future::isDone);
                    });
            rethrowFailures(workers);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        root.cancel(); // already cancelled: must change nothing

        List<Context> notDone = nodes.stream().map(Cancellable::context).filter(c -> c.err() == null).toList();
        assertThat(notDone.size())
                .as("[03.7] round %d: the root was cancelled, so all %d contexts should be done, but %d were not: a "
                    + "child added while its parent was being cancelled was lost? Guard the children with the "
                    + "parent's lock, and check the parent's error under the same lock (README 03.7)",
                        round, nodes.size(), notDone.size())
                .isZero();
        long wrongErr = nodes.stream().filter(c -> c.context().err() != ContextError.CANCELED).count();
        assertThat(wrongErr)
                .as("[03.7] round %d: every context was cancelled, so every err() should be CANCELED, but %d were "
                    + "not (README 03.7)", round, wrongErr)
                .isZero();
        long holding = nodes.stream().filter(c -> c.context().children() > 0).count();
        assertThat(holding)
                .as("[03.7] round %d: a done context has nothing left to cancel, but %d done contexts still held "
                    + "children (README 03.7)", round, holding)
                .isZero();
        await("[03.7] round " + round + ": every one of the " + registered.get() + " afterFuncs to run once the tree "
              + "is cancelled, but only " + runs.size() + " did: was one registered while its context was being "
              + "cancelled, and lost? (README 03.7)")
                .atMost(PATIENCE).until(() -> runs.size() == registered.get());
        long twice = runs.values().stream().filter(count -> count.get() != 1).count();
        assertThat(twice)
                .as("[03.7] round %d: every afterFunc should run exactly once, but %d ran more than once: can two "
                    + "cancels both start it? (README 03.7)", round, twice)
                .isZero();
    }

    private static void registerAfterFunc(Context context, AtomicInteger registered,
                                          Map<Integer, AtomicInteger> runs) {
        int id = registered.getAndIncrement();
        context.afterFunc(() -> runs.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet());
    }
}
