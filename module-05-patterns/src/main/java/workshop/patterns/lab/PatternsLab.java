package workshop.patterns.lab;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Module 05 lab, in two parts.
 * <ol>
 * <li><b>ST-04, maps under contention</b>: {@code ConcurrentHashMap} and a {@code HashMap} behind a
 *     {@code ReentrantReadWriteLock}, a {@code StampedLock} and {@code synchronized}, at 90/10, 50/50 and 10/90
 *     read/write, on 1, 2 and 4 threads: 36 JMH trials of {@link MapBenchmarks} (read its javadoc for what exactly is
 *     measured), each in a forked JVM of its own, one fork with few short iterations so that the part takes about
 *     4 minutes on a 2-core machine. JMH's full output goes to {@value #LOG_DIR}.
 * <li><b>The worker pool's knee</b>: {@link PoolKnee}, the throughput of a fixed pool of platform threads against its
 *     size for an I/O-bound job. Timed batches in this JVM, not JMH: see {@link PoolKnee} for why.
 * </ol>
 * Prints one table per part; the environment variable {@code PATTERNS_LAB_PARTS=2} runs part 2 alone ("1" part 1).
 * Uses the JDK and JMH only, none of the module's exercises, so it runs before any is
 * solved. {@code lab/go/maps} and {@code lab/go/pool} measure the same for Go.
 */
public final class PatternsLab {

    static final String REPRODUCE = "./mvnw -q -Plab -DskipTests verify -pl module-05-patterns -am";
    static final String LOG_DIR = "target/patterns-lab";
    static final int FORKS = 1;
    static final int WARMUP_ITERATIONS = 2;
    static final int ITERATIONS = 4;
    static final TimeValue ITERATION_TIME = TimeValue.seconds(1);
    static final int SECONDS_PER_FORK = 1; // measured on the 2-core machine: starting a fork and JMH's own setup
    static final Duration WATCHDOG = Duration.ofMinutes(12); // a healthy run takes about 5 minutes

    static final List<String> MAPS = List.of("ConcurrentHashMap", "ReentrantReadWriteLock", "StampedLock",
            "synchronized");
    static final List<Integer> READ_PERCENTS = List.of(90, 50, 10);
    static final List<Integer> THREADS = List.of(1, 2, 4);
    static final String MICROS = "UTF-8".equalsIgnoreCase(System.getProperty("stdout.encoding")) ? "µs" : "us";

    /** One JMH trial. */
    record Trial(String map, int readPercent, int threads) {}

    /** A trial's statistics over its measured iterations, or the text to print instead. */
    record Outcome(Statistics stats, String instead) {}

    public static void main(String[] args) throws Exception {
        startWatchdog();
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        System.out.printf("JVM: %s %s (%s), Java %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), System.getProperty("java.vm.vendor"), Runtime.version());
        System.out.printf("OS: %s %s %s, available processors: %d, load average at start: %s%n",
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), loadBefore);
        System.out.println("reproduce: " + REPRODUCE);
        System.out.println();

        String parts = System.getenv().getOrDefault("PATTERNS_LAB_PARTS", "1,2"); // "2": the knee alone
        Map<Trial, Outcome> outcomes = parts.contains("1") ? maps(t0) : null;
        List<PoolKnee.Row> knee = parts.contains("2") ? PoolKnee.measure(t0) : null;
        System.out.println();

        if (outcomes != null) printMaps(outcomes);
        System.out.println();
        if (knee != null) PoolKnee.print(knee);
        System.out.printf("%nmachine: %d available processors, Java %s (%s), %s %s; load average at start %s,"
                        + " at end %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.vendor"),
                System.getProperty("os.name"), System.getProperty("os.arch"), loadBefore, loadAverage());
        System.out.printf("lab time: %.0f s; JMH's own output: %s/%n", (System.nanoTime() - t0) / 1e9, LOG_DIR);
    }

    static Map<Trial, Outcome> maps(long t0) throws Exception {
        List<Trial> trials = new ArrayList<>();
        for (int readPercent : READ_PERCENTS) {
            for (String map : MAPS) for (int threads : THREADS) trials.add(new Trial(map, readPercent, threads));
        }
        long perTrial = FORKS * ((WARMUP_ITERATIONS + ITERATIONS) * ITERATION_TIME.getTime() + SECONDS_PER_FORK);
        System.out.printf("part 1, maps: %d JMH trials, each in its own JVM: %d fork x (%d warm-up + %d measured) x"
                        + " %d s (about %d s)...%n", trials.size(), FORKS, WARMUP_ITERATIONS, ITERATIONS,
                ITERATION_TIME.getTime(), trials.size() * perTrial);
        Files.createDirectories(Path.of(LOG_DIR));
        Map<Trial, Outcome> outcomes = new LinkedHashMap<>();
        int n = 0;
        for (Trial t : trials) {
            Outcome o = run(t);
            outcomes.put(t, o);
            System.out.printf("  [%2d/%d] %-22s %2d%% reads %d thread%s  %-26s %5.0f s elapsed%n", ++n, trials.size(),
                    t.map(), t.readPercent(), t.threads(), t.threads() == 1 ? " " : "s", cell(o),
                    (System.nanoTime() - t0) / 1e9);
        }
        System.out.println();
        return outcomes;
    }

    // ---- part 1: one JMH trial ----------------------------------------------------------------

    static Outcome run(Trial t) {
        String log = "%s/%s-%dr-%dt.txt".formatted(LOG_DIR, t.map(), t.readPercent(), t.threads());
        var options = new OptionsBuilder()
                .include(Pattern.quote(MapBenchmarks.class.getName() + ".op") + "$")
                .param("impl", t.map())
                .param("readPercent", Integer.toString(t.readPercent()))
                .threads(t.threads())
                .forks(FORKS)
                .warmupIterations(WARMUP_ITERATIONS)
                .warmupTime(ITERATION_TIME)
                .measurementIterations(ITERATIONS)
                .measurementTime(ITERATION_TIME)
                .timeout(TimeValue.seconds(30))
                .jvmArgs("--enable-preview", "-Xms512m", "-Xmx512m", "--sun-misc-unsafe-memory-access=allow")
                .shouldFailOnError(true)
                .output(log)
                .build();
        try {
            Collection<RunResult> results = new Runner(options).run();
            if (results.size() != 1) return new Outcome(null, "no result (see " + log + ")");
            return new Outcome(results.iterator().next().getPrimaryResult().getStatistics(), null);
        } catch (RunnerException e) {
            return new Outcome(null, "failed (see " + log + ")");
        }
    }

    // ---- part 1: the table --------------------------------------------------------------------

    /** Median of the measured iterations, then their range: ops/us, all threads together. */
    static String cell(Outcome o) {
        if (o.stats() == null) return o.instead();
        Statistics s = o.stats();
        return "%.1f (%.1f..%.1f)".formatted(s.getPercentile(50), s.getMin(), s.getMax());
    }

    static void printMaps(Map<Trial, Outcome> outcomes) {
        String[] head = {"reads/writes", "map", "1 thread", "2 threads", "4 threads (oversubscribed)"};
        List<String[]> lines = new ArrayList<>();
        for (int readPercent : READ_PERCENTS) {
            for (String map : MAPS) {
                String[] line = new String[head.length];
                line[0] = readPercent + "/" + (100 - readPercent);
                line[1] = map;
                for (int i = 0; i < THREADS.size(); i++) {
                    line[2 + i] = cell(outcomes.get(new Trial(map, readPercent, THREADS.get(i))));
                }
                lines.add(line);
            }
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
        String fmt = "| %-" + w[0] + "s | %-" + w[1] + "s | %" + w[2] + "s | %" + w[3] + "s | %" + w[4] + "s |%n";
        System.out.printf("part 1, ST-04: map operations per %s, all threads together (higher is better)%n", MICROS);
        System.out.printf(fmt, (Object[]) head);
        System.out.printf("|-%s-|-%s-|-%s:|-%s:|-%s:|%n", "-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]),
                "-".repeat(w[3]), "-".repeat(w[4]));
        for (String[] l : lines) System.out.printf(fmt, (Object[]) l);
        System.out.printf("cells: median (min..max) of %d measured %d s iterations in %d fork, after %d warm-up"
                        + " iterations; %d Integer keys, all present; a put replaces a value; %d available processors"
                        + " (more threads than that oversubscribe)%n", ITERATIONS, ITERATION_TIME.getTime(), FORKS,
                WARMUP_ITERATIONS, MapBenchmarks.KEYS, Runtime.getRuntime().availableProcessors());
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) { // not Linux
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "unknown" : "%.2f".formatted(l);
        }
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Ends the JVM if the lab ever stalls. */
    static void startWatchdog() {
        Thread.ofPlatform().daemon().name("lab-watchdog").start(() -> {
            try {
                Thread.sleep(WATCHDOG);
            } catch (InterruptedException e) {
                return;
            }
            System.out.flush();
            System.err.println("PatternsLab: still running after " + WATCHDOG.toMinutes() + " min, giving up");
            Runtime.getRuntime().halt(2);
        });
    }

    private PatternsLab() {}
}
