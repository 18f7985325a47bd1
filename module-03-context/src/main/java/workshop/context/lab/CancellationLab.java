package workshop.context.lab;

import workshop.context.Cancellable;
import workshop.context.Context;
import workshop.support.NotSolvedYet;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Module 03 lab: how long from "cancel" until every one of N parked virtual threads has exited, for N = 1,000,
 * 10,000 and 100,000, through four mechanisms:
 * <ol>
 * <li>{@code StructuredTaskScope} (JDK 25 preview): N forks park until interrupted; one more fork fails on a signal,
 * and with the default joiner that cancels the scope, which interrupts the other forks; the owner's {@code join()}
 * returns, and {@code close()} returns once every fork's thread has terminated;
 * <li>the module's {@link Context}: N virtual threads block in {@code awaitDone()} on one
 * {@code Context.withCancel(background())}; cancel = {@code cancel()}; every thread joined;
 * <li>the same with one {@code withCancel} child per thread under one parent (what Go code does when each goroutine
 * derives its own context); cancel = the parent's {@code cancel()};
 * <li>{@code Executors.newVirtualThreadPerTaskExecutor()} with N tasks parked until interrupted; cancel =
 * {@code shutdownNow()}; until {@code awaitTermination} returns.
 * </ol>
 *
 * <p>Each cell is a one-shot latency, not a steady-state throughput: a round spawns N threads, waits until every one
 * of them is parked (its {@link Thread#getState() state} is {@code WAITING}), collects garbage, and only then issues the
 * cancel, so that neither start-up nor a GC triggered by the spawning falls into the timed window. JMH measures
 * repeated operations; here one operation per round is the subject, so the lab runs warm-up rounds (discarded) and
 * then several measured rounds per cell, interleaving the mechanisms so that a load change on the machine hits them
 * alike, and prints the median with min and max. Three instants are taken, all from {@link System#nanoTime()} and
 * relative to the moment just before the cancel:
 * <ul>
 * <li><b>signalled</b>: the cancel call has returned (for the scope: the owner's {@code join()} has returned, which it
 * does only after the cancelling fork has interrupted every fork);
 * <li><b>last woke</b>: the latest instant at which a waiter returned from its wait (each waiter records it);
 * <li><b>all exited</b>: every waiter has finished: {@code close()} returned (the scope's flock counts threads that
 * have terminated), every thread {@link Thread#join() joined} (the Context rows: join waits for termination, as
 * {@code close()} does; a latch counted down by each waiter would stop the clock before the thread has finished), or
 * {@code awaitTermination} returned (the executor counts a task finished when its run method returns, just before
 * its thread terminates).
 * </ul>
 * If {@code Context} is not solved yet, its rows say so and the rest is measured; a {@code Context} whose cancel
 * never wakes a waiter is reported as stuck after {@value #STUCK_SECONDS} s, and the lab goes on.
 * {@code lab/go/cancel.go} measures the Context rows for Go's {@code context}.
 */
public final class CancellationLab {

    static final String REPRODUCE = "./mvnw -q -Plab -DskipTests verify -pl module-03-context -am"
            + "   (with your Context; add -Psolutions for the reference one)";
    static final int[] SIZES = {1_000, 10_000, 100_000};
    static final int WARM_UPS = 3;
    static final int ROUNDS = 15;
    static final int STUCK_SECONDS = 30;
    static final int PROBE_STUCK_SECONDS = 5;
    static String probeStuck; // what the probe saw if a waiter stayed parked after cancel()
    static final Duration PARK_BUDGET = Duration.ofSeconds(20); // 100,000 threads park in well under a second
    static final Duration WATCHDOG = Duration.ofMinutes(6); // a healthy run takes 1.5-3 minutes on 2 cores
    static final String MICROS = "UTF-8".equalsIgnoreCase(System.getProperty("stdout.encoding")) ? "µs" : "us";
    static final String DASH = "UTF-8".equalsIgnoreCase(System.getProperty("stdout.encoding")) ? "–" : "-";

    enum Mechanism {
        SCOPE("StructuredTaskScope: a fork fails, scope cancels", "scope", "join() returned", "close() returned"),
        CONTEXT_SHARED("Context: N x awaitDone() on one withCancel", "one context", "cancel() returned",
                "all joined"),
        CONTEXT_CHILDREN("Context: N children, cancel() the parent", "child per thread", "cancel() returned",
                "all joined"),
        EXECUTOR("newVirtualThreadPerTaskExecutor: shutdownNow()", "shutdownNow", "shutdownNow() returned",
                "awaitTermination returned");

        final String label;
        final String shortLabel;
        final String signal;
        final String exit;

        Mechanism(String label, String shortLabel, String signal, String exit) {
            this.label = label;
            this.shortLabel = shortLabel;
            this.signal = signal;
            this.exit = exit;
        }

        boolean usesContext() {
            return this == CONTEXT_SHARED || this == CONTEXT_CHILDREN;
        }
    }

    /** One round's instants, in nanoseconds after the cancel was issued. */
    record Sample(long signalled, long lastWoke, long allExited) {}

    /** Why a round has no sample: printed in the cell instead of figures. */
    static final class RoundFailed extends Exception {
        RoundFailed(String message) {
            super(message, null, false, false);
        }
    }

    public static void main(String[] args) throws Exception {
        startWatchdog();
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        System.out.printf("JVM: %s %s (%s), Java %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), System.getProperty("java.vm.vendor"), Runtime.version());
        System.out.printf("OS: %s %s %s, available processors: %d, max heap: %d MiB, load average at start: %s%n",
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadBefore);
        System.out.println("reproduce: " + REPRODUCE);

        System.out.println("probing the Context: one waiter and one cancel, for each of the two Context rows ...");
        String context = probeContext();
        System.out.println("Context: " + (context != null ? context + ", not measured"
                : probeStuck != null ? "one waiter was " + probeStuck + "; measured to see how many of N it leaves"
                : "works, measured"));
        System.out.printf("measuring: per N, %d warm-up + %d measured rounds of each mechanism, interleaved; a line per"
                + " round with its \"all exited\" times%n%n", WARM_UPS, ROUNDS);

        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Map<String, String> instead = new LinkedHashMap<>();
        for (Mechanism m : Mechanism.values()) {
            for (int n : SIZES) {
                samples.put(key(m, n), new ArrayList<>());
                if (context != null && m.usesContext()) instead.put(key(m, n), context);
            }
        }
        for (int n : SIZES) {
            for (int round = -WARM_UPS; round < ROUNDS; round++) {
                StringBuilder line = new StringBuilder(round < 0
                        ? "  N = %,7d  warm-up %d/%d ".formatted(n, round + WARM_UPS + 1, WARM_UPS)
                        : "  N = %,7d  round %2d/%d ".formatted(n, round + 1, ROUNDS));
                for (Mechanism m : Mechanism.values()) {
                    String k = key(m, n);
                    line.append(" | ").append(m.shortLabel).append(' ');
                    if (instead.containsKey(k)) {
                        line.append('-');
                        continue;
                    }
                    try {
                        Sample s = round(m, n);
                        if (round >= 0) samples.get(k).add(s);
                        line.append(millis(s.allExited())).append(" ms");
                    } catch (RoundFailed e) {
                        line.append(e.getMessage().replaceFirst(":.*", ""));
                        instead.put(k, e.getMessage());
                        // a Context that got stuck or broke at one N will not do better at a larger one
                        for (int bigger : SIZES) {
                            if (bigger > n) instead.putIfAbsent(key(m, bigger), "skipped (%s at N = %,d)"
                                    .formatted(e.getMessage().replaceFirst(":.*", ""), n));
                        }
                    }
                }
                System.out.println(line);
            }
            System.out.printf("  N = %,d done, %.0f s elapsed%n", n, (System.nanoTime() - t0) / 1e9);
        }
        System.out.println();
        print(samples, instead);
        System.out.printf("%nmachine: %d available processors, Java %s (%s), %s %s; load average at start %s,"
                        + " at end %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version(),
                System.getProperty("java.vm.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"),
                loadBefore, loadAverage());
        System.out.printf("lab time: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        System.exit(0); // waiters a stuck Context left parked must not keep the lab alive
    }

    static String key(Mechanism m, int n) {
        return m.name() + "/" + n;
    }

    static Sample round(Mechanism m, int n) throws Exception {
        return switch (m) {
            case SCOPE -> scopeRound(n);
            case CONTEXT_SHARED -> contextRound(n, false);
            case CONTEXT_CHILDREN -> contextRound(n, true);
            case EXECUTOR -> executorRound(n);
        };
    }

    // ---- 1. StructuredTaskScope ------------------------------------------------------------------

    static Sample scopeRound(int n) throws Exception {
        Thread[] forks = new Thread[n];
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch fire = new CountDownLatch(1);
        LongAccumulator lastWoke = new LongAccumulator(Math::max, Long.MIN_VALUE);
        long[] cancelAt = new long[1];
        long signalled;
        long allExited;
        try (var scope = StructuredTaskScope.open()) { // default joiner: the first failure cancels the scope
            for (int i = 0; i < n; i++) {
                int slot = i;
                scope.fork(() -> {
                    forks[slot] = Thread.currentThread();
                    ready.countDown();
                    parkUntilInterrupted();
                    lastWoke.accumulate(System.nanoTime());
                });
            }
            scope.fork(() -> {
                fire.await();
                cancelAt[0] = System.nanoTime(); // published to the owner by the scope's join
                throw new CancelSignal();
            });
            ready.await();
            awaitParked(forks);
            System.gc();
            fire.countDown();
            try {
                scope.join();
                throw new IllegalStateException("the scope was not cancelled");
            } catch (StructuredTaskScope.FailedException expected) {
                signalled = System.nanoTime();
            }
        } // close(): waits until every fork's thread has terminated
        allExited = System.nanoTime();
        long t0 = cancelAt[0];
        return new Sample(signalled - t0, lastWoke.get() - t0, allExited - t0);
    }

    /** What the signalling fork throws: a failure makes the default joiner cancel the scope. */
    static final class CancelSignal extends RuntimeException {
        CancelSignal() {
            super("cancel", null, false, false);
        }
    }

    /** Parks without touching any shared structure, so that waking N waiters costs only the wake-ups. */
    static void parkUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) LockSupport.park();
    }

    // ---- 2 and 3. the module's Context -------------------------------------------------------------

    static Sample contextRound(int n, boolean childPerThread) throws Exception {
        return contextRound(n, childPerThread, STUCK_SECONDS);
    }

    static Sample contextRound(int n, boolean childPerThread, int stuckSeconds) throws Exception {
        Cancellable root = Context.withCancel(Context.background());
        Cancellable[] children = new Cancellable[n];
        if (childPerThread) for (int i = 0; i < n; i++) children[i] = Context.withCancel(root.context());
        Thread[] waiters = new Thread[n];
        LongAccumulator lastWoke = new LongAccumulator(Math::max, Long.MIN_VALUE);
        LongAdder early = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] cancelIssued = {Long.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            Cancellable mine = childPerThread ? children[i] : root;
            waiters[i] = Thread.ofVirtual().unstarted(() -> {
                try (mine) { // Go code's defer cancel(): a no-op once the parent has cancelled the child
                    mine.context().awaitDone();
                    long woke = System.nanoTime();
                    lastWoke.accumulate(woke);
                    if (woke < cancelIssued[0]) early.increment();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        for (Thread t : waiters) t.start();
        try {
            awaitParked(waiters);
            throwIfFailed(failure.get(), n, early);
        } catch (RoundFailed e) {
            for (Thread t : waiters) t.interrupt(); // the round is off: let the waiters go
            throw e;
        }
        System.gc();

        long[] instants = new long[2];
        Thread canceller = Thread.ofPlatform().name("canceller").start(() -> {
            instants[0] = System.nanoTime();
            cancelIssued[0] = instants[0];
            root.cancel();
            instants[1] = System.nanoTime();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(stuckSeconds);
        if (!canceller.join(Duration.ofSeconds(stuckSeconds))) {
            throw new RoundFailed("stuck: cancel() has not returned after %d s".formatted(stuckSeconds));
        }
        for (Thread t : waiters) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) break;
        }
        long allExited = System.nanoTime();
        long stuck = Arrays.stream(waiters).filter(Thread::isAlive).count();
        if (stuck > 0) {
            for (Thread t : waiters) t.interrupt(); // let them go if they can; the lab goes on either way
            throw new RoundFailed("stuck: %,d of %,d still parked after %d s".formatted(stuck, n, stuckSeconds));
        }
        throwIfFailed(failure.get(), n, early);
        long t0 = instants[0];
        return new Sample(instants[1] - t0, lastWoke.get() - t0, allExited - t0);
    }

    static void throwIfFailed(Throwable failure, int n, LongAdder early) throws RoundFailed {
        if (failure != null) {
            String nsy = notSolvedYet(failure);
            throw new RoundFailed(nsy != null ? nsy : "broken: awaitDone() threw " + failure);
        }
        if (early.sum() > 0) {
            throw new RoundFailed("broken: %,d of %,d awaitDone() returned before cancel()".formatted(early.sum(), n));
        }
    }

    /**
     * Runs one waiter and one cancel of each Context shape in this JVM first, so that a starter or broken Context is
     * reported in one line. Returns null if the Context works, or if it got stuck (then the rows measure how many of
     * N waiters it leaves parked), or else what to print in its rows.
     */
    static String probeContext() {
        try {
            contextRound(1, false, PROBE_STUCK_SECONDS);
            contextRound(1, true, PROBE_STUCK_SECONDS);
            return null;
        } catch (Throwable t) {
            String nsy = notSolvedYet(t);
            if (nsy != null) return nsy;
            if (t instanceof RoundFailed && t.getMessage().startsWith("stuck")) {
                probeStuck = t.getMessage();
                return null;
            }
            return t instanceof RoundFailed ? t.getMessage() : "broken: " + t;
        }
    }

    static String notSolvedYet(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NotSolvedYet nsy) return "not solved yet (" + nsy.exerciseId() + ")";
        }
        return null;
    }

    // ---- 4. the virtual-thread-per-task executor ---------------------------------------------------

    static Sample executorRound(int n) throws Exception {
        Thread[] tasks = new Thread[n];
        CountDownLatch ready = new CountDownLatch(n);
        LongAccumulator lastWoke = new LongAccumulator(Math::max, Long.MIN_VALUE);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < n; i++) {
            int slot = i;
            executor.execute(() -> {
                tasks[slot] = Thread.currentThread();
                ready.countDown();
                parkUntilInterrupted();
                lastWoke.accumulate(System.nanoTime());
            });
        }
        ready.await();
        awaitParked(tasks);
        System.gc();
        long t0 = System.nanoTime();
        executor.shutdownNow();
        long signalled = System.nanoTime();
        if (!executor.awaitTermination(STUCK_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the executor did not terminate"); // a JDK bug, not a learner's
        }
        long allExited = System.nanoTime();
        return new Sample(signalled - t0, lastWoke.get() - t0, allExited - t0);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * Waits until every thread is parked (or has already ended, which the caller then reports), polling the states:
     * a waiter that has counted down a latch may not have parked yet.
     */
    static void awaitParked(Thread[] threads) throws InterruptedException, RoundFailed {
        long deadline = System.nanoTime() + PARK_BUDGET.toNanos();
        for (Thread t : threads) {
            while (t == null || !parkedOrDone(t)) {
                if (System.nanoTime() > deadline) {
                    long running = Arrays.stream(threads).filter(x -> x == null || !parkedOrDone(x)).count();
                    for (Thread x : threads) if (x != null) x.interrupt();
                    throw new RoundFailed("broken: %,d of %,d waiters never parked in %d s (spinning?)"
                            .formatted(running, threads.length, PARK_BUDGET.toSeconds()));
                }
                Thread.sleep(1); // polling for a state outside the timed window
            }
        }
    }

    static boolean parkedOrDone(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED;
    }

    static void print(Map<String, List<Sample>> samples, Map<String, String> instead) {
        String[] head = {"mechanism", "N", "signalled", "last waiter woke", "all exited", "all exited / N"};
        List<String[]> lines = new ArrayList<>();
        for (Mechanism m : Mechanism.values()) {
            for (int n : SIZES) {
                String k = key(m, n);
                List<Sample> s = samples.get(k);
                if (instead.containsKey(k) || s.isEmpty()) {
                    String text = instead.getOrDefault(k, "no rounds");
                    lines.add(new String[] {m.label, "%,d".formatted(n), text, "", "", ""});
                    continue;
                }
                long[] sig = s.stream().mapToLong(Sample::signalled).sorted().toArray();
                long[] woke = s.stream().mapToLong(Sample::lastWoke).sorted().toArray();
                long[] exit = s.stream().mapToLong(Sample::allExited).sorted().toArray();
                lines.add(new String[] {m.label, "%,d".formatted(n), cell(sig), cell(woke), cell(exit),
                        "%.2f %s".formatted(median(exit) / 1e3 / n, MICROS)});
            }
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
        StringBuilder fmt = new StringBuilder("| %-" + w[0] + "s |");
        StringBuilder rule = new StringBuilder("|-" + "-".repeat(w[0]) + "-|");
        for (int i = 1; i < w.length; i++) {
            fmt.append(" %").append(w[i]).append("s |");
            rule.append("-").append("-".repeat(w[i])).append(":|");
        }
        fmt.append("%n");
        System.out.printf(fmt.toString(), (Object[]) head);
        System.out.println(rule);
        for (String[] l : lines) System.out.printf(fmt.toString(), (Object[]) l);
        System.out.println();
        System.out.printf("cells: median (min%smax) in ms over %d rounds after %d warm-up rounds, from just before the"
                + " cancel; each round parks N fresh virtual threads first%n", DASH, ROUNDS, WARM_UPS);
        for (Mechanism m : Mechanism.values()) {
            System.out.printf("  %-50s signalled = %s; all exited = %s%n", m.label, m.signal, m.exit);
        }
        System.out.println("  the Context rows need 03.1, 03.2 and 03.4; the scope row has one more virtual thread,"
                + " the fork that fails");
    }

    static String cell(long[] sortedNanos) {
        return "%s (%s%s%s)".formatted(millis(median(sortedNanos)), millis(sortedNanos[0]), DASH,
                millis(sortedNanos[sortedNanos.length - 1]));
    }

    static double median(long[] sorted) {
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2.0;
    }

    static String millis(double nanos) {
        double ms = nanos / 1e6;
        return ms < 1 ? "%.3f".formatted(ms) : ms < 10 ? "%.2f".formatted(ms) : "%.1f".formatted(ms);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) { // not Linux
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "unknown" : "%.2f".formatted(l);
        }
    }

    /** Ends the JVM if the lab ever stalls, say in a learner's cancel() that never returns. */
    static void startWatchdog() {
        Thread.ofPlatform().daemon().name("lab-watchdog").start(() -> {
            try {
                Thread.sleep(WATCHDOG);
            } catch (InterruptedException e) {
                return;
            }
            System.out.flush();
            System.err.println("CancellationLab: still running after " + WATCHDOG.toMinutes() + " min, giving up");
            Runtime.getRuntime().halt(2);
        });
    }

    private CancellationLab() {}
}
