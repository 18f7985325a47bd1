package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.TimeLimit;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
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
import java.util.concurrent.atomic.AtomicIntegerArray;

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

    private static final int ADDERS = 8;
    private static final int PARENTS = 2;
    private static final int CHILDREN_EACH = 2_000;
    private static final int CROWD_ROUNDS = 4;
    private static final int RACED_PARENTS = 32;
    private static final int ADDS_BEFORE_CANCEL = 20;
    private static final int MAX_ADDS_EACH_PARENT = 400;
    private static final int RACE_ROUNDS = 16;

    @Test
    @TimeLimit(seconds = 30)
    @DisplayName("8 threads adding 2000 children each to the same 2 parents at once, and cancelling every third "
                 + "child right away, leave the parents holding exactly the others, and cancelling reaches them all")
    void childrenAddedToTheSameParentsAtOnce() throws Exception {
        for (int round = 0; round < CROWD_ROUNDS; round++) {
            Cancellable root = Context.withCancel(Context.background());
            List<Cancellable> parents = new ArrayList<>();
            for (int p = 0; p < PARENTS; p++) {
                parents.add(Context.withCancel(root.context()));
            }
            List<Cancellable> children = inParallel(round, "to the same parents", thread -> {
                List<Cancellable> mine = new ArrayList<>();
                for (int i = 0; i < CHILDREN_EACH; i++) {
                    Cancellable child = Context.withCancel(parents.get((thread + i) % PARENTS).context());
                    if (i % 3 == 0) {
                        child.cancel(); // leaves its parent while the others still add
                    }
                    mine.add(child);
                }
                return mine;
            });
            List<Cancellable> live = children.stream().filter(c -> c.context().err() == null).toList();
            List<WeakReference<Context>> cancelled = weakly(children.stream()
                    .filter(c -> c.context().err() != null).toList());
            int added = children.size();
            children = null; // from here on, only the contexts themselves may hold the cancelled children
            int keptCancelled = Reachability.survivors("03.7", cancelled);
            assertThat(keptCancelled)
                    .as("[03.7] round %d: %d threads added %d children to the same %d parents at once and cancelled "
                        + "%d of them right away, so nothing should keep those, but %d were still reachable after "
                        + "garbage collection while their parents lived: a set of children changed by many threads "
                        + "without a lock keeps (or loses) entries. Guard the children with the parent's lock, for "
                        + "adding and for removing (README 03.7)",
                            round, ADDERS, added, PARENTS, cancelled.size(), keptCancelled)
                    .isZero();

            root.cancel();

            long notCanceled = live.stream().filter(c -> c.context().err() != ContextError.CANCELED).count();
            assertThat(notCanceled)
                    .as("[03.7] round %d: the root was cancelled, so all %d children added from %d threads should "
                        + "be CANCELED, but %d were not: their parent lost them from its set of children, so its "
                        + "cancellation never reached them. Guard the children with the parent's lock "
                        + "(README 03.7)", round, live.size(), ADDERS, notCanceled)
                    .isZero();
            List<WeakReference<Context>> lastOnes = weakly(live);
            live = null;
            int stillHeld = Reachability.survivors("03.7", lastOnes);
            assertThat(stillHeld)
                    .as("[03.7] round %d: every context is cancelled, so none should hold children any more, but %d "
                        + "of the %d children cancelled by the root were still reachable after garbage collection "
                        + "(README 03.7)", round, stillHeld, lastOnes.size())
                    .isZero();
            Reference.reachabilityFence(root);
            Reference.reachabilityFence(parents);
        }
    }

    private static List<WeakReference<Context>> weakly(List<Cancellable> contexts) {
        List<WeakReference<Context>> refs = new ArrayList<>();
        for (Cancellable c : contexts) {
            refs.add(new WeakReference<>(c.context()));
        }
        return refs;
    }

    @Test
    @TimeLimit(seconds = 30)
    @DisplayName("parents cancelled one at a time, each while 7 threads add children to it and cancel some of them, "
                 + "leave no child running and keep none")
    void parentsCancelledWhileChildrenAreAdded() throws Exception {
        for (int round = 0; round < RACE_ROUNDS; round++) {
            Cancellable root = Context.withCancel(Context.background());
            List<Cancellable> parents = new ArrayList<>();
            for (int p = 0; p < RACED_PARENTS; p++) {
                parents.add(Context.withCancel(root.context()));
            }
            AtomicInteger current = new AtomicInteger(); // the parent everybody adds to, and the canceller cancels
            AtomicIntegerArray addedTo = new AtomicIntegerArray(RACED_PARENTS);
            List<Cancellable> children = inParallel(round, "to a parent while it is cancelled", thread -> {
                List<Cancellable> mine = new ArrayList<>();
                if (thread == 0) { // the canceller: cancels each parent while the others are busy adding to it
                    long giveUp = System.nanoTime() + PATIENCE.toNanos();
                    for (int p = 0; p < RACED_PARENTS; p++) {
                        for (int spins = 0; addedTo.get(p) < ADDS_BEFORE_CANCEL; spins++) {
                            if (System.nanoTime() > giveUp) {
                                throw new IllegalStateException("the adding threads stopped adding");
                            }
                            if (spins > 1_000) {
                                Thread.yield(); // the adders have no core just now
                            }
                            Thread.onSpinWait();
                        }
                        parents.get(p).cancel();
                        current.set(p + 1);
                    }
                    return mine;
                }
                long giveUp = System.nanoTime() + PATIENCE.toNanos();
                for (int i = 0; ; i++) {
                    int p = current.get();
                    if (p == RACED_PARENTS) {
                        break;
                    }
                    if (addedTo.get(p) >= MAX_ADDS_EACH_PARENT) { // enough for this parent: wait for the next one
                        if (System.nanoTime() > giveUp) {
                            throw new IllegalStateException("the cancelling thread stopped cancelling");
                        }
                        Thread.yield();
                        continue;
                    }
                    Cancellable child = Context.withCancel(parents.get(p).context());
                    if (i % 3 == 0) {
                        child.cancel(); // leaves its parent while the parent may be cancelling
                    }
                    mine.add(child);
                    addedTo.incrementAndGet(p);
                }
                return mine;
            });
            long running = children.stream().filter(c -> c.context().err() == null).count();
            assertThat(running)
                    .as("[03.7] round %d: %d parents were cancelled one at a time, each while %d threads added "
                        + "children to it (%d children in all), so every child should be done, but found %d still "
                        + "running: a child added while its parent was being cancelled was missed. Adding a child and "
                        + "cancelling the parent must exclude each other: check the parent's error and add under the "
                        + "parent's lock, and set the error and take the children under the same lock (README 03.7)",
                            round, RACED_PARENTS, ADDERS - 1, children.size(), running)
                    .isZero();
            List<WeakReference<Context>> added = weakly(children);
            children = null;
            int held = Reachability.survivors("03.7", added);
            assertThat(held)
                    .as("[03.7] round %d: the parents are cancelled, so they should hold none of the %d children "
                        + "added to them, but %d were still reachable after garbage collection while the parents "
                        + "lived: a child added while its parent was being cancelled was kept after all; check the "
                        + "parent's error and add under the parent's lock (README 03.7)",
                            round, added.size(), held)
                    .isZero();
            Reference.reachabilityFence(parents);
            root.cancel();
        }
    }

    /**
     * Runs {@code work} on {@link #ADDERS} platform threads started together, and gathers what they return; a failure
     * in any thread (a {@code ConcurrentModificationException}, say) fails the test with it.
     */
    private static List<Cancellable> inParallel(int round, String what, Work work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(ADDERS);
        ExecutorService pool = Executors.newFixedThreadPool(ADDERS);
        List<Future<List<Cancellable>>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < ADDERS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    return work.run(thread);
                }));
            }
            awaitWorkers(round, "adding children " + what, workers);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        List<Cancellable> all = new ArrayList<>();
        for (Future<List<Cancellable>> worker : workers) {
            all.addAll(worker.resultNow());
        }
        return all;
    }

    /**
     * Waits for every worker to finish; a failure in any of them (a {@code ConcurrentModificationException}, say)
     * fails the test with it, and one that never finishes fails it as a deadlock or a loop.
     */
    private static void awaitWorkers(int round, String what, List<? extends Future<?>> workers) {
        try {
            await("[03.7] round " + round + ": " + workers.size() + " threads " + what + " to finish: a deadlock "
                  + "(take locks in one order, parent before child, or not at all while calling into another "
                  + "context), or a thread looping in a set corrupted by unguarded changes? (README 03.7)")
                    .atMost(PATIENCE).until(() -> {
                        rethrowFailures(workers);
                        return workers.stream().allMatch(Future::isDone);
                    });
            rethrowFailures(workers);
        } catch (RuntimeException | Error failure) {
            if (hasNotSolvedYet(failure)) {
                throw failure;
            }
            throw new AssertionError("[03.7] round " + round + ": one of " + workers.size() + " threads " + what
                    + " failed with " + failure + ": were the children changed by one thread while another "
                    + "iterated them? Change and take the children under the parent's lock, and iterate the set you "
                    + "took (README 03.7)", failure);
        }
    }

    private static boolean hasNotSolvedYet(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotSolvedYet) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Work {
        List<Cancellable> run(int thread) throws Exception;
    }

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
            awaitWorkers(round, "cancelling, creating children and registering afterFuncs on one tree", workers);
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
        List<WeakReference<Context>> belowTheRoot = weakly(nodes.subList(1, nodes.size()));
        int treeSize = nodes.size();
        nodes.clear(); // from here on, only the contexts themselves may hold each other
        int holding = Reachability.survivors("03.7", belowTheRoot);
        assertThat(holding)
                .as("[03.7] round %d: a done context has nothing left to cancel, so of the %d contexts below the "
                    + "(cancelled) root none should still be reachable from it, but %d were, after garbage collection "
                    + "(README 03.7)", round, treeSize - 1, holding)
                .isZero();
        Reference.reachabilityFence(root);
        await("[03.7] round " + round + ": every one of the " + registered.get() + " afterFuncs to run once the tree "
              + "is cancelled, but some never did: was one registered while its context was being cancelled, and "
              + "lost? (README 03.7)")
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
