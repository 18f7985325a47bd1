package workshop.channels.lab;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import workshop.support.NotSolvedYet;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Module 02 lab: what a hand-off between two threads costs, unbuffered (ping-pong round trip) and buffered (1 producer,
 * 1 consumer, capacity 1024), through {@code SynchronousQueue}, {@code ArrayBlockingQueue},
 * {@code LinkedTransferQueue} and the module's own {@link workshop.channels.Channel}, each on two virtual threads and
 * on two platform threads.
 *
 * <p>The measuring is JMH's, in {@link HandOffBenchmarks} (read its javadoc for what exactly is measured and why the
 * two threads are the lab's own, not JMH's). This class runs each trial in forked JVMs through JMH's {@link Runner},
 * with few iterations so that the whole lab takes about 4 minutes on a 2-core machine, and prints one table. JMH's
 * full output goes to {@value #LOG_DIR}. If {@code Channel} is not solved yet, its rows say so and the rest is
 * measured.
 * {@code lab/go/handoff.go} measures the same two rows for Go channels.
 */
public final class HandOffLab {

    static final String REPRODUCE = "./mvnw -q -Plab -DskipTests verify -pl module-02-channels -am"
            + "   (with your Channel; add -Psolutions for the reference one)";
    static final String LOG_DIR = "target/handoff-lab";
    static final int FORKS = 2; // a virtual-thread ping-pong can settle differently in each JVM: look at two
    static final int WARMUP_ITERATIONS = 2;
    static final int ITERATIONS = 4;
    static final TimeValue ITERATION_TIME = TimeValue.seconds(1);
    static final Duration PROBE_LIMIT = Duration.ofSeconds(10);
    static final Duration WATCHDOG = Duration.ofMinutes(12); // a healthy run takes about 4 minutes

    static final List<String> KINDS = List.of("virtual", "platform");
    static final List<String> UNBUFFERED = List.of("SynchronousQueue", "ArrayBlockingQueue", "LinkedTransferQueue",
            "Channel");
    static final List<String> BUFFERED = List.of("ArrayBlockingQueue", "LinkedTransferQueue", "Channel");
    static final String MICROS = "UTF-8".equalsIgnoreCase(System.getProperty("stdout.encoding")) ? "µs" : "us";
    static final String PLUS_MINUS = "UTF-8".equalsIgnoreCase(System.getProperty("stdout.encoding")) ? "±" : "+-";

    /** One JMH trial: a benchmark method, a queue (null for the harness) and a thread kind. */
    record Trial(String method, String queue, String kind) {}

    /** A trial's outcome: its statistics over the measured iterations, or the text to print instead. */
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

        System.out.println("probing the Channel: a few batches of both of its benchmarks in this JVM...");
        String channel = probeChannel();
        System.out.println("Channel: " + (channel == null ? "works, measured" : channel + ", not measured"));

        List<Trial> trials = new ArrayList<>();
        for (String kind : KINDS) trials.add(new Trial("harness", null, kind));
        for (String q : UNBUFFERED) for (String kind : KINDS) trials.add(new Trial("roundTrip", q, kind));
        for (String q : BUFFERED) for (String kind : KINDS) trials.add(new Trial("buffered", q, kind));
        long measured = trials.stream().filter(t -> channel == null || !"Channel".equals(t.queue())).count();
        System.out.printf("measuring %d JMH trials, each in its own JVMs: %d forks x (%d warm-up + %d measured) x %d s"
                        + " (about %d s)...%n%n", measured, FORKS, WARMUP_ITERATIONS, ITERATIONS,
                ITERATION_TIME.getTime(), measured * FORKS * (WARMUP_ITERATIONS + ITERATIONS + 1));

        Files.createDirectories(Path.of(LOG_DIR));
        Map<Trial, Outcome> outcomes = new LinkedHashMap<>();
        int n = 0;
        for (Trial t : trials) {
            Outcome o = channel != null && "Channel".equals(t.queue()) ? new Outcome(null, channel) : run(t);
            outcomes.put(t, o);
            if (o.stats() != null || !o.instead().equals(channel)) {
                System.out.printf("  [%2d/%d] %-9s %-19s %-8s %-34s %5.0f s elapsed%n", ++n, measured, t.method(),
                        t.queue() == null ? "-" : t.queue(), t.kind(), cell(t, o), (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.println();
        print(outcomes);
        System.out.printf("%nmachine: %d available processors, Java %s (%s), %s %s; load average at start %s,"
                        + " at end %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.vendor"),
                System.getProperty("os.name"), System.getProperty("os.arch"), loadBefore, loadAverage());
        System.out.printf("lab time: %.0f s; JMH's own output: %s/%n", (System.nanoTime() - t0) / 1e9, LOG_DIR);
    }

    // ---- running one trial --------------------------------------------------------------------

    static Outcome run(Trial t) {
        String log = LOG_DIR + "/" + t.method() + (t.queue() == null ? "" : "-" + t.queue()) + "-" + t.kind() + ".txt";
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Pattern.quote(HandOffBenchmarks.class.getName() + "." + t.method()) + "$")
                .param("threadKind", t.kind())
                .forks(FORKS)
                .warmupIterations(WARMUP_ITERATIONS)
                .warmupTime(ITERATION_TIME)
                .measurementIterations(ITERATIONS)
                .measurementTime(ITERATION_TIME)
                .timeout(TimeValue.seconds(30))
                .jvmArgs("--enable-preview", "-Xms1g", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow")
                .shouldFailOnError(true)
                .output(log);
        if (t.queue() != null) options.param("queue", t.queue());
        try {
            Collection<RunResult> results = new Runner(options.build()).run();
            if (results.size() != 1) return new Outcome(null, "no result (see " + log + ")");
            return new Outcome(results.iterator().next().getPrimaryResult().getStatistics(), null);
        } catch (RunnerException e) {
            return new Outcome(null, "failed (see " + log + ")");
        }
    }

    /**
     * Runs a few batches of both Channel benchmarks in this JVM first, so that a starter or broken Channel is reported
     * in one line instead of as JMH failures. Returns null if the Channel works, or what to print in its rows.
     */
    static String probeChannel() {
        try {
            var roundTrip = new HandOffBenchmarks.RoundTrip();
            roundTrip.queue = "Channel";
            roundTrip.threadKind = "virtual";
            probe(roundTrip::start, () -> roundTrip.pair);
            var buffered = new HandOffBenchmarks.Buffered();
            buffered.queue = "Channel";
            buffered.threadKind = "virtual";
            probe(buffered::start, () -> buffered.pair);
            return null;
        } catch (Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof NotSolvedYet nsy) return "not solved yet (" + nsy.exerciseId() + ")";
            }
            return "broken: " + t.getMessage();
        }
    }

    static void probe(Runnable start, Supplier<HandOffBenchmarks.Pair> pair) throws InterruptedException {
        start.run(); // a starter Channel throws NotSolvedYet here, from its constructor
        try {
            long deadline = System.nanoTime() + PROBE_LIMIT.toNanos();
            for (int i = 0; i < 3 && System.nanoTime() < deadline; i++) pair.get().runBatch();
        } finally {
            pair.get().stop();
        }
    }

    // ---- the table ----------------------------------------------------------------------------

    static String cell(Trial t, Outcome o) {
        if (o.stats() == null) return o.instead();
        Statistics s = o.stats();
        String f = "buffered".equals(t.method()) ? "%.2f" : "%,.0f";
        return (f + " (" + f + " " + PLUS_MINUS + " " + f + ")").formatted(s.getPercentile(50), s.getMean(),
                s.getMeanErrorAt(0.999));
    }

    static String range(Trial t, Outcome o) {
        if (o.stats() == null) return "-";
        String f = "buffered".equals(t.method()) ? "%.2f" : "%,.0f";
        return (f + ".." + f).formatted(o.stats().getMin(), o.stats().getMax());
    }

    static String label(Trial t) {
        return switch (t.method()) {
            case "harness" -> "harness: conduct one batch, ns";
            case "roundTrip" -> "unbuffered round trip, ns";
            default -> "buffered cap %d, M items/s".formatted(HandOffBenchmarks.CAPACITY);
        };
    }

    static String queueLabel(Trial t) {
        if (t.queue() == null) return "(empty batch)";
        boolean unbuffered = "roundTrip".equals(t.method());
        return switch (t.queue()) {
            case "SynchronousQueue" -> "SynchronousQueue put/take";
            case "ArrayBlockingQueue" -> unbuffered ? "ArrayBlockingQueue(1) put/take" : "ArrayBlockingQueue(1024)";
            case "LinkedTransferQueue" -> unbuffered ? "LinkedTransferQueue transfer/take"
                    : "LinkedTransferQueue put/take (unbounded)";
            case "Channel" -> unbuffered ? "Channel(0) send/receive" : "Channel(1024)";
            default -> t.queue();
        };
    }

    static void print(Map<Trial, Outcome> outcomes) {
        // rows: one per (method, queue); columns: virtual, platform
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Map<String, Trial> first = new LinkedHashMap<>();
        for (var e : outcomes.entrySet()) {
            String key = label(e.getKey()) + "|" + queueLabel(e.getKey());
            rows.computeIfAbsent(key, k -> new ArrayList<>()).add(cell(e.getKey(), e.getValue()));
            first.putIfAbsent(key, e.getKey());
        }
        String[] head = {"measurement", "hand-off", "virtual threads", "platform threads"};
        List<String[]> lines = new ArrayList<>();
        for (var e : rows.entrySet()) {
            String[] what = e.getKey().split("\\|");
            lines.add(new String[] {what[0], what[1], e.getValue().get(0), e.getValue().get(1)});
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
        String fmt = "| %-" + w[0] + "s | %-" + w[1] + "s | %" + w[2] + "s | %" + w[3] + "s |%n";
        System.out.printf(fmt, (Object[]) head);
        System.out.printf("|-%s-|-%s-|-%s:|-%s:|%n", "-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]),
                "-".repeat(w[3]));
        for (String[] l : lines) System.out.printf(fmt, (Object[]) l);
        System.out.println();
        System.out.printf("cells: median (mean %s error at 99.9%%, as JMH computes it) of %d forks x %d measured 1 s"
                + " iterations, each fork after %d warm-up iterations%n", PLUS_MINUS, FORKS, ITERATIONS,
                WARMUP_ITERATIONS);
        System.out.println("iteration ranges (min..max):");
        for (var e : outcomes.entrySet()) {
            Trial t = e.getKey();
            System.out.printf("  %-33s %-40s %-8s %s%n", label(t), queueLabel(t), t.kind(), range(t, e.getValue()));
        }
        System.out.printf("harness: a round-trip batch is %,d round trips and a buffered batch %,d items; the harness"
                        + " row shared out over a batch is the bias it adds: %s%n",
                HandOffBenchmarks.ROUND_TRIPS_PER_BATCH, HandOffBenchmarks.ITEMS_PER_BATCH, harnessBias(outcomes));
    }

    static String harnessBias(Map<Trial, Outcome> outcomes) {
        List<String> parts = new ArrayList<>();
        for (var e : outcomes.entrySet()) {
            if (!"harness".equals(e.getKey().method()) || e.getValue().stats() == null) continue;
            double ns = e.getValue().stats().getPercentile(50);
            parts.add("%s +%.1f ns per round trip, +%.2f ns per item".formatted(e.getKey().kind(),
                    ns / HandOffBenchmarks.ROUND_TRIPS_PER_BATCH, ns / HandOffBenchmarks.ITEMS_PER_BATCH));
        }
        return parts.isEmpty() ? "not measured" : String.join(", ", parts);
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

    /** Ends the JVM if the lab ever stalls; each forked JVM has its own watchdog too (HandOffBenchmarks). */
    static void startWatchdog() {
        Thread.ofPlatform().daemon().name("lab-watchdog").start(() -> {
            try {
                Thread.sleep(WATCHDOG);
            } catch (InterruptedException e) {
                return;
            }
            System.out.flush();
            System.err.println("HandOffLab: still running after " + WATCHDOG.toMinutes() + " min, giving up");
            Runtime.getRuntime().halt(2);
        });
    }

    private HandOffLab() {}
}
