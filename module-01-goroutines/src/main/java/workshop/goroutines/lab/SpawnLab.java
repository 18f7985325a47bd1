package workshop.goroutines.lab;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Module 01 lab: what a virtual thread costs next to a platform thread, measured on this machine.
 *
 * <p>Prints one table and, per row, how it was measured. Timings come after warm-up rounds and are medians
 * where the budget allows, because a laptop or CI box is noisy; a watchdog ends the run if anything ever stalls.
 * {@code lab/go/spawn.go} measures the same rows for goroutines.
 */
public final class SpawnLab {

    static final String REPRODUCE = "./mvnw -q -Plab -DskipTests verify -pl module-01-goroutines -am";
    static final Duration WATCHDOG = Duration.ofSeconds(180); // a healthy run takes well under 60 s
    static final Duration JOIN_BUDGET = Duration.ofSeconds(60); // per batch of threads
    static final int ROUNDS = 5;

    static final int SPAWN_VIRTUAL = 100_000;
    static final int SPAWN_PLATFORM = 10_000;
    static final int PARK_VIRTUAL = 100_000;
    static final int PARK_PLATFORM = 2_000;
    static final int SLEEP_VIRTUAL = 1_000_000;
    // 10_000 tasks would take >= 50 s on 200 threads (50 waves of 1 s); 2_000 shows the same shape in ~10 s.
    static final int SLEEP_PLATFORM = 2_000;
    static final int POOL_SIZE = 200;
    static final Duration SLEEP = Duration.ofSeconds(1);
    // a console in the C locale prints '?' for the micro sign
    static final String MICROS = "UTF-8".equalsIgnoreCase(System.getProperty("stdout.encoding")) ? "µs" : "us";

    /** One table row: what, the virtual and platform cells, and how it was measured. */
    record Row(String id, String what, String virtual, String platform, String how) {}

    public static void main(String[] args) throws Exception {
        startWatchdog();
        System.out.printf("JVM: %s %s (%s), Java %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), System.getProperty("java.vm.vendor"), Runtime.version());
        System.out.printf("available processors: %d, max heap: %d MiB%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("reproduce: " + REPRODUCE);
        System.out.println("measuring (about 30-60 s); a line per step:");
        System.out.println();

        List<Row> rows = new ArrayList<>();
        T0 = System.nanoTime();
        rows.add(spawnRow());
        rows.addAll(memoryRows());
        rows.addAll(sleepRows());
        System.out.println();
        print(rows);
    }

    // ---- row 1: start + join ------------------------------------------------------------------

    static Row spawnRow() throws InterruptedException {
        double[] v = rounds("row 1, start + join %,d virtual threads".formatted(SPAWN_VIRTUAL), 1, ROUNDS,
                () -> spawnJoinMicros(Thread.ofVirtual(), SPAWN_VIRTUAL));
        double[] p = rounds("row 1, start + join %,d platform threads".formatted(SPAWN_PLATFORM), 1, ROUNDS,
                () -> spawnJoinMicros(Thread.ofPlatform(), SPAWN_PLATFORM));
        return new Row("1", "start + join one thread, " + MICROS, "%.2f".formatted(median(v)), "%.2f".formatted(median(p)),
                "start %,d virtual / %,d platform threads that do nothing, then join them all; total time / count;"
                        .formatted(SPAWN_VIRTUAL, SPAWN_PLATFORM)
                        + " median of %d rounds after 1 warm-up (virtual %s, platform %s)"
                        .formatted(ROUNDS, range(v), range(p)));
    }

    static double spawnJoinMicros(Thread.Builder builder, int n) throws InterruptedException {
        Thread[] threads = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) threads[i] = builder.start(() -> {});
        joinAll(threads);
        return (System.nanoTime() - t0) / 1e3 / n;
    }

    // ---- row 2: memory while parked -----------------------------------------------------------

    static List<Row> memoryRows() throws InterruptedException {
        // no warm-up: one-time allocations (class loading, JIT) are noise next to 100,000 threads, and row 1 ran first
        double[] v = rounds("row 2, heap of %,d parked virtual threads".formatted(PARK_VIRTUAL), 0, 3,
                () -> heapPerParkedThread(Thread.ofVirtual(), PARK_VIRTUAL));
        double[] p = rounds("row 2, heap of %,d parked platform threads".formatted(PARK_PLATFORM), 0, 3,
                () -> heapPerParkedThread(Thread.ofPlatform(), PARK_PLATFORM));
        String stack = threadStackSizeKiB();
        return List.of(
                new Row("2", "heap per parked thread, bytes", "%,.0f".formatted(median(v)), "%,.0f".formatted(median(p)),
                        ("park %,d virtual / %,d platform threads on a CountDownLatch; heap used after System.gc() x2,"
                                + " parked minus before, / count; median of 3 rounds (virtual %s, platform %s)."
                                + " A parked virtual thread's stack is copied into the heap, so it is counted here;"
                                + " a platform thread's stack is not (row 2b)")
                                .formatted(PARK_VIRTUAL, PARK_PLATFORM, range(v), range(p))),
                new Row("2b", "stack reserved outside the heap", "none (frames live in heap)", stack + " reserved",
                        "HotSpotDiagnosticMXBean.getVMOption(\"ThreadStackSize\") (the -XX:ThreadStackSize default):"
                                + " address space RESERVED per platform thread, only the touched pages become RSS"));
    }

    static double heapPerParkedThread(Thread.Builder builder, int n) throws InterruptedException {
        Thread[] threads = new Thread[n]; // allocated before the baseline so it is not counted
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        Runnable park = () -> {
            ready.countDown();
            try {
                release.await(); // untimed on purpose: a timed wait adds a timer entry per thread to the heap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        long before = usedHeapAfterGc();
        try { // the finally always releases, so the untimed await() above cannot outlive this method
            for (int i = 0; i < n; i++) threads[i] = builder.start(park);
            if (!ready.await(JOIN_BUDGET.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("threads did not all start within " + JOIN_BUDGET);
            }
            Thread.sleep(100); // let the last ones reach await() and park
            long parked = usedHeapAfterGc();
            return (double) (parked - before) / n;
        } finally {
            release.countDown();
            joinAll(threads);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) { // the second pass catches what the first one freed late
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String threadStackSizeKiB() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long kib = Long.parseLong(hotspot.getVMOption("ThreadStackSize").getValue());
            return kib == 0 ? "OS default" : "%,d KiB".formatted(kib);
        } catch (RuntimeException e) { // not HotSpot, or the option is missing
            return "unknown";
        }
    }

    // ---- row 3: a million sleepers ------------------------------------------------------------

    static List<Row> sleepRows() throws InterruptedException {
        // Warm-up matters most here: on a cold JVM, a first million-sleeper round took ~15 s instead of ~5 s on a 2-core
        // box, and a profile showed the carriers deoptimizing the compiled frames frozen in each parked stack on wake-up.
        double[] warmUp = rounds("row 3, warm-up: %,d sleepers on virtual threads".formatted(SLEEP_VIRTUAL / 10), 0, 3,
                () -> sleepOnVirtual(SLEEP_VIRTUAL / 10).wall());
        long gcBefore = gcPauseMillis();
        step("row 3, %,d sleepers on virtual threads".formatted(SLEEP_VIRTUAL), "");
        Sleepers v = sleepOnVirtual(SLEEP_VIRTUAL);
        double gc = (gcPauseMillis() - gcBefore) / 1e3;
        step("row 3b, %,d sleepers on a %d-thread pool (about %d s)".formatted(SLEEP_PLATFORM, POOL_SIZE,
                SLEEP_PLATFORM / POOL_SIZE), "");
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(POOL_SIZE)) {
            for (int i = 0; i < SLEEP_PLATFORM; i++) pool.execute(SpawnLab::sleep);
        }
        double p = (System.nanoTime() - t0) / 1e9;
        double minutes = p * SLEEP_VIRTUAL / SLEEP_PLATFORM / 60; // linear in the number of 1 s waves
        return List.of(
                new Row("3", "%,d tasks x sleep 1 s, wall".formatted(SLEEP_VIRTUAL), "%.2f s".formatted(v.wall()), "not run",
                        ("newVirtualThreadPerTaskExecutor in try-with-resources, one virtual thread per task;"
                                + " one round after 3 warm-up rounds of %,d tasks (%.2f, %.2f, %.2f s)."
                                + " Submitting took %.2f s, so at most %,d slept at the same time; GC pauses %.2f s"
                                + " (GarbageCollectorMXBeans): live threads are a big live heap to copy."
                                + " On a %d-thread pool this would take over an hour, so it is not run (row 3b)")
                                .formatted(SLEEP_VIRTUAL / 10, warmUp[0], warmUp[1], warmUp[2], v.submit(), v.peak(),
                                        gc, POOL_SIZE)),
                new Row("3b", "%,d tasks x sleep 1 s, wall".formatted(SLEEP_PLATFORM), "-", "%.2f s".formatted(p),
                        ("newFixedThreadPool(%d) in try-with-resources, measured once; the floor is %d waves x 1 s = %d s."
                                + " At that pace %,d tasks would take about %.0f min: an extrapolation, not measured")
                                .formatted(POOL_SIZE, SLEEP_PLATFORM / POOL_SIZE, SLEEP_PLATFORM / POOL_SIZE,
                                        SLEEP_VIRTUAL, minutes)));
    }

    /** Seconds until all were done, seconds spent submitting, and the most that were asleep at once. */
    record Sleepers(double wall, double submit, long peak) {}

    /** Runs {@code n} sleepers, one virtual thread each. */
    static Sleepers sleepOnVirtual(int n) {
        // the peak shows whether a million really slept at once: the first wake up while the last are still submitted
        AtomicLong started = new AtomicLong(), finished = new AtomicLong(), peak = new AtomicLong();
        Runnable task = () -> {
            long live = started.incrementAndGet() - finished.get();
            if (live > peak.get()) peak.accumulateAndGet(live, Math::max);
            sleep();
            finished.incrementAndGet();
        };
        long t0 = System.nanoTime(), submitted;
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) virtual.execute(task);
            submitted = System.nanoTime() - t0;
        } // close() waits for every task: each ends ~1 s after it started
        return new Sleepers((System.nanoTime() - t0) / 1e9, submitted / 1e9, peak.get());
    }

    static long gcPauseMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    static void sleep() {
        try {
            Thread.sleep(SLEEP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** When the measuring began: every progress line says how long ago. */
    static long T0 = System.nanoTime();

    /** One line per step, as it begins, so that a long run is never silent. */
    static void step(String what, String detail) {
        System.out.printf("  [%5.1f s] %s%s%n", (System.nanoTime() - T0) / 1e9, what, detail);
    }

    interface Measurement {
        double run() throws InterruptedException;
    }

    /**
     * Runs {@code warmUps} discarded rounds (JIT, class loading, carrier pool start-up), then {@code kept} rounds,
     * saying so as each begins.
     */
    static double[] rounds(String what, int warmUps, int kept, Measurement m) throws InterruptedException {
        for (int i = 0; i < warmUps; i++) {
            step(what, ": warm-up %d of %d".formatted(i + 1, warmUps));
            m.run();
        }
        double[] results = new double[kept];
        for (int i = 0; i < kept; i++) {
            step(what, ": round %d of %d".formatted(i + 1, kept));
            results[i] = m.run();
        }
        return results;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String range(double[] xs) {
        double min = Arrays.stream(xs).min().orElse(0), max = Arrays.stream(xs).max().orElse(0);
        return max >= 100 ? "%,.0f..%,.0f".formatted(min, max) : "%.2f..%.2f".formatted(min, max);
    }

    /** Joins with one shared deadline, so a stuck thread fails the lab instead of hanging it. */
    static void joinAll(Thread[] threads) throws InterruptedException {
        long deadline = System.nanoTime() + JOIN_BUDGET.toNanos();
        for (Thread t : threads) {
            if (t == null) continue;
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                throw new IllegalStateException("threads did not finish within " + JOIN_BUDGET);
            }
        }
    }

    /** Ends the JVM if the lab ever stalls (try-with-resources close() itself waits without a bound). */
    static void startWatchdog() {
        Thread.ofPlatform().daemon().name("lab-watchdog").start(() -> {
            try {
                Thread.sleep(WATCHDOG);
            } catch (InterruptedException e) {
                return;
            }
            System.out.flush();
            System.err.println("SpawnLab: still running after " + WATCHDOG.toSeconds() + " s, giving up");
            Runtime.getRuntime().halt(2);
        });
    }

    static void print(List<Row> rows) {
        String[] head = {"#", "measurement", "virtual threads", "platform threads"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (Row r : rows) {
            String[] c = {r.id(), r.what(), r.virtual(), r.platform()};
            for (int i = 0; i < c.length; i++) w[i] = Math.max(w[i], c[i].length());
        }
        String fmt = "| %-" + w[0] + "s | %-" + w[1] + "s | %" + w[2] + "s | %" + w[3] + "s |%n";
        System.out.printf(fmt, (Object[]) head);
        System.out.printf("|-%s-|-%s-|-%s:|-%s:|%n", "-".repeat(w[0]), "-".repeat(w[1]),
                "-".repeat(w[2]), "-".repeat(w[3]));
        for (Row r : rows) System.out.printf(fmt, r.id(), r.what(), r.virtual(), r.platform());
        System.out.println();
        for (Row r : rows) System.out.printf("row %s: %s%n", r.id(), r.how());
    }

    private SpawnLab() {}
}
