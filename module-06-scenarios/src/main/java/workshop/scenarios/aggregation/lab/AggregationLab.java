package workshop.scenarios.aggregation.lab;

import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.downstreams.Profiles;
import workshop.scenarios.aggregation.downstreams.SimulatedDownstreams;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Module 06 lab: the load benchmark of the aggregation API. One command starts
 * <ol>
 * <li>the four simulated downstreams ({@link Profiles#benchmark()}: reviews slow, with 3 % of its calls taking
 *     250–400 ms, past the request's budget; pricing failing 2 % of its calls), in this JVM;</li>
 * <li>the service, in a process of its own ({@link ServiceProcess}): the Java service ({@code Main}; with
 *     {@code -Psolutions} the reference) or its Go twin ({@code lab/go/aggregation}), or both, one after the other,
 *     against the same downstreams;</li>
 * <li>an open-model, constant-rate generator ({@link OpenLoadGenerator}), latency measured from each request's due
 *     time into an HdrHistogram, that steps the rate: a warm-up step, then {@link #RATES} for {@link #STEP} each.</li>
 * </ol>
 * Per step it prints the target and achieved rate, p50/p99/p99.9/max, errors, the degraded share, how far the
 * generator fell behind its schedule, the downstreams' peak in flight, and the service's threads once the step's
 * answers are in (OS threads; live platform and virtual threads of the Java service, goroutines of the Go one); then
 * the highest rate at which p99 stayed within 200 ms. Full output (the tables, a percentile distribution per step,
 * the service's log, its thread dumps) in {@value #OUT}.
 *
 * <p>Environment: {@code AGGREGATION_LAB_TARGET} = {@code java} (the default), {@code go} or {@code java,go};
 * {@code AGGREGATION_LAB_RATES} (e.g. {@code 100,250,500}); {@code AGGREGATION_LAB_SECONDS} (per step).
 *
 * <p>Generator, downstreams and service share this machine's cores: what a step measures is the whole machine under
 * that load, not the service alone. The rates are scaled to a 2-core machine; only ratios carry over.
 */
public final class AggregationLab {

    static final String REPRODUCE = "./mvnw -q -Plab -Psolutions -DskipTests verify -pl module-06-scenarios -am";
    static final String OUT = "target/aggregation-lab";
    static final List<Double> RATES = List.of(250.0, 500.0, 1000.0, 1500.0, 2000.0);
    static final Duration STEP = Duration.ofSeconds(15);
    static final double WARM_UP_RATE = 100;
    static final Duration WARM_UP = Duration.ofSeconds(20); // C2 needs thousands of requests on a busy 2-core box
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** After a step's last answer: let the service's threads end before they are counted. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /** The p99 the service's budget promises: the request's budget. */
    static final double P99_LIMIT_MILLIS = 200;
    static final Duration WATCHDOG = Duration.ofMinutes(10); // a healthy run takes 2 minutes per target

    /** A step's result and the service's threads after it. */
    record Row(OpenLoadGenerator.Step step, ServiceProcess.Threads threads, long downstreamPeak, Cpu cpu) {
    }

    /**
     * Where the machine's CPU went during a step, in cores (CPU seconds per second of the step).
     *
     * @param service the service's process
     * @param lab     this JVM: the generator and the four downstreams
     * @param others  everything else on the machine (other users of a shared machine), from /proc/stat; -1 unknown
     */
    record Cpu(double service, double lab, double others) {
        @Override
        public String toString() {
            return others < 0 ? "%.2f / %.2f / ?".formatted(service, lab)
                    : "%.2f / %.2f / %.2f".formatted(service, lab, others);
        }
    }

    /** A reading of the CPU counters, to subtract from the next one. */
    record CpuMark(long wallNanos, Duration service, Duration lab, long machineBusyTicks) {
        static CpuMark now(ServiceProcess service) {
            return new CpuMark(System.nanoTime(), service.cpu(),
                    ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO), readMachineBusyTicks());
        }

        Cpu since(CpuMark start) {
            double wall = (wallNanos - start.wallNanos) / 1e9;
            double svc = (service.toNanos() - start.service.toNanos()) / 1e9 / wall;
            double lab = (this.lab.toNanos() - start.lab.toNanos()) / 1e9 / wall;
            double all = machineBusyTicks < 0 || start.machineBusyTicks < 0 ? -1
                    : (machineBusyTicks - start.machineBusyTicks) / (double) CLOCK_TICKS / wall;
            return new Cpu(svc, lab, all < 0 ? -1 : Math.max(0, all - svc - lab));
        }
    }

    /** USER_HZ of /proc/stat: 100 on every Linux the lab will meet. */
    static final int CLOCK_TICKS = 100;

    /** All CPUs' busy time from /proc/stat (user, nice, system, irq, softirq, steal), in ticks; -1 if unknown. */
    static long readMachineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        startWatchdog();
        // the JDK server closes idle keep-alive connections past 200 per server by default: at the lab's rates each
        // downstream keeps more than that open, and closing them would add a TCP handshake to many calls
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        long t0 = System.nanoTime();
        Path out = Path.of(OUT);
        Files.createDirectories(out);
        List<ServiceProcess.Kind> targets = targets(System.getenv().getOrDefault("AGGREGATION_LAB_TARGET", "java"));
        List<Double> rates = rates(System.getenv("AGGREGATION_LAB_RATES"));
        Duration step = System.getenv("AGGREGATION_LAB_SECONDS") == null ? STEP
                : Duration.ofSeconds(Long.parseLong(System.getenv("AGGREGATION_LAB_SECONDS").trim()));
        String loadBefore = loadAverage();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder report = new StringBuilder();
        header(report, started, loadBefore, rates, step);
        System.out.print(report);

        Profiles profiles = Profiles.benchmark();
        Map<ServiceProcess.Kind, List<Row>> results = new EnumMap<>(ServiceProcess.Kind.class);
        try (SimulatedDownstreams downstreams = SimulatedDownstreams.start(profiles)) {
            Map<Part, URI> uris = new EnumMap<>(Part.class);
            for (Part part : Part.values()) {
                uris.put(part, downstreams.baseUri(part));
                System.out.printf("downstream %-15s %s  %s%n", part.label(), downstreams.baseUri(part),
                        profiles.of(part));
            }
            for (ServiceProcess.Kind kind : targets) {
                results.put(kind, measure(kind, uris, downstreams, rates, step, out, t0));
            }
        }

        String loadAfter = loadAverage();
        StringBuilder tables = new StringBuilder();
        for (var e : results.entrySet()) {
            table(tables, e.getKey(), e.getValue());
        }
        tables.append("machine: %d available processors, Java %s (%s), %s %s; load average at start %s, at end %s%n"
                .formatted(Runtime.getRuntime().availableProcessors(), Runtime.version(),
                        System.getProperty("java.vm.vendor"), System.getProperty("os.name"),
                        System.getProperty("os.arch"), loadBefore, loadAfter));
        tables.append("lab time: %.0f s; full output: %s/%n".formatted((System.nanoTime() - t0) / 1e9, OUT));
        System.out.println();
        System.out.print(tables);
        report.append('\n').append(tables);
        Files.writeString(out.resolve("report.txt"), report);
    }

    static List<Row> measure(ServiceProcess.Kind kind, Map<Part, URI> downstreams, SimulatedDownstreams sims,
                             List<Double> rates, Duration step, Path out, long t0) throws Exception {
        System.out.printf("%n%s service: starting...%n", kind.label);
        List<Row> rows = new ArrayList<>();
        try (ServiceProcess service = ServiceProcess.start(kind, downstreams, out)) {
            System.out.printf("%s service at %s (log: %s); threads at rest: %s%n", kind.label, service.baseUri(),
                    service.log(), service.threads(out, kind.label + "-threads-start"));
            System.out.printf("  warm-up: %.0f req/s for %d s%n", WARM_UP_RATE, WARM_UP.toSeconds());
            OpenLoadGenerator.Step warm;
            try (var generator = new OpenLoadGenerator(service.baseUri(), AggregationLab::product)) {
                warm = generator.run(kind.label + " warm-up", WARM_UP_RATE, WARM_UP, PROGRESS_EVERY);
            }
            System.out.printf("  warm-up done: p50 %.1f ms, p99 %.1f ms, %d errors; %.0f s elapsed%n",
                    warm.millis(50), warm.millis(99), warm.errors(), (System.nanoTime() - t0) / 1e9);
            for (double rate : rates) {
                sims.resetPeaks();
                System.out.printf("  step: %.0f req/s for %d s%n", rate, step.toSeconds());
                CpuMark before = CpuMark.now(service);
                OpenLoadGenerator.Step result;
                // a generator per step: closing it closes its connections, so that the threads counted afterwards
                // are the service's own, not those serving the generator's idle keep-alive connections
                try (var generator = new OpenLoadGenerator(service.baseUri(), AggregationLab::product)) {
                    result = generator.run(kind.label, rate, step, PROGRESS_EVERY);
                }
                Cpu cpu = CpuMark.now(service).since(before);
                long peak = 0;
                for (Part part : Part.values()) {
                    peak = Math.max(peak, sims.counters(part).peakInFlight());
                }
                Thread.sleep(SETTLE);
                var threads = service.threads(out, "%s-threads-after-%.0f".formatted(kind.label, rate));
                service.saveMetrics(out.resolve("%s-metrics-after-%.0f.txt".formatted(kind.label, rate)));
                Row row = new Row(result, threads, peak, cpu);
                rows.add(row);
                writeHistogram(out, kind, result);
                System.out.printf("  => %s; CPU cores service/lab/others %s; threads afterwards: %s; %.0f s"
                        + " elapsed%n", summary(result), cpu, threads, (System.nanoTime() - t0) / 1e9);
            }
        }
        return rows;
    }

    /** The product of request {@code i}: all of {@code p-1} to {@code p-1000}, spread. */
    static String product(int i) {
        return "p-" + (Math.floorMod(i * 7919L, 1000) + 1);
    }

    // ---- output --------------------------------------------------------------------------------

    static void header(StringBuilder b, String started, String load, List<Double> rates, Duration step) {
        b.append("Module 06 lab: the aggregation API under an open-model, constant-rate load%n".formatted());
        b.append("started %s; JVM: %s %s (%s), Java %s%n".formatted(started, System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), System.getProperty("java.vm.vendor"), Runtime.version()));
        b.append("OS: %s %s %s, available processors: %d, load average at start: %s%n".formatted(
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), load));
        b.append("steps: warm-up %.0f req/s for %d s, then %s req/s for %d s each; latency from each request's due"
                .formatted(WARM_UP_RATE, WARM_UP.toSeconds(), rates.stream().map(r -> "%.0f".formatted(r)).toList(),
                        step.toSeconds()) + " time (open model), HdrHistogram%n".formatted());
        b.append("reproduce: %s%n%n".formatted(REPRODUCE));
    }

    static String summary(OpenLoadGenerator.Step s) {
        return "%.0f req/s achieved, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms, %d errors, %.1f %% degraded"
                .formatted(s.achievedRate(), s.millis(50), s.millis(99), s.millis(99.9),
                        s.latency().getMaxValue() / 1000.0, s.errors(), s.degradedShare() * 100);
    }

    static void table(StringBuilder b, ServiceProcess.Kind kind, List<Row> rows) {
        String[] head = {"target req/s", "achieved req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors",
                "degraded", "generator late by", "downstream peak in flight", "CPU cores: service / lab / others",
                "service threads afterwards"};
        List<String[]> lines = new ArrayList<>();
        double best = -1;
        for (Row r : rows) {
            var s = r.step();
            if (s.millis(99) <= P99_LIMIT_MILLIS && s.achievedRate() >= 0.95 * s.targetRate()) {
                best = Math.max(best, s.targetRate());
            }
            lines.add(new String[] {"%.0f".formatted(s.targetRate()), "%.0f".formatted(s.achievedRate()),
                    "%.1f".formatted(s.millis(50)), "%.1f".formatted(s.millis(99)), "%.1f".formatted(s.millis(99.9)),
                    "%.1f".formatted(s.latency().getMaxValue() / 1000.0), errors(s),
                    "%.1f %%".formatted(s.degradedShare() * 100), "%.1f ms".formatted(s.maxSendLag().toNanos() / 1e6),
                    Long.toString(r.downstreamPeak()), r.cpu().toString(), r.threads().toString()});
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
        b.append("%n%s service (%s):%n".formatted(kind.label, kind == ServiceProcess.Kind.JAVA
                ? ServiceProcess.JAVA_MAIN + ", " + String.join(" ", ServiceProcess.JAVA_OPTIONS)
                : "lab/go/aggregation, " + goVersion()));
        StringBuilder sep = new StringBuilder("|");
        StringBuilder fmt = new StringBuilder("|");
        for (int i = 0; i < head.length; i++) {
            boolean left = i == head.length - 1;
            fmt.append(" %").append(left ? "-" : "").append(w[i]).append("s |");
            sep.append(left ? "-" : "-").append("-".repeat(w[i])).append(left ? "-|" : ":|");
        }
        b.append(fmt.toString().formatted((Object[]) head)).append('\n').append(sep).append('\n');
        for (String[] l : lines) b.append(fmt.toString().formatted((Object[]) l)).append('\n');
        b.append(best < 0 ? "no step kept p99 within %.0f ms at 95 %% of its target rate%n".formatted(P99_LIMIT_MILLIS)
                : "highest rate with p99 <= %.0f ms (and at least 95 %% of it achieved): %.0f req/s%n"
                .formatted(P99_LIMIT_MILLIS, best));
        b.append(("errors: every answer but a 200 (503 a required part failed, 504 late, 404, other status) and every"
                + " request that got no answer in %d s; degraded: 200s with \"degraded\":true%n")
                .formatted(OpenLoadGenerator.REQUEST_TIMEOUT.toSeconds()));
        b.append(("generator late by: the most a request was sent after its due time (its latency counts from the due"
                + " time all the same); CPU: cores used during the step by the service's process, by the lab's JVM"
                + " (generator and downstreams) and by the rest of the machine (%d available)%n")
                .formatted(Runtime.getRuntime().availableProcessors()));
    }

    static String errors(OpenLoadGenerator.Step s) {
        if (s.errors() == 0) return "0";
        List<String> parts = new ArrayList<>();
        if (s.unavailable() > 0) parts.add(s.unavailable() + "×503");
        if (s.timedOut() > 0) parts.add(s.timedOut() + "×504");
        if (s.notFound() > 0) parts.add(s.notFound() + "×404");
        if (s.otherStatus() > 0) parts.add(s.otherStatus() + " other");
        if (s.transportErrors() > 0) parts.add(s.transportErrors() + " no answer");
        if (s.notSent() > 0) parts.add(s.notSent() + " not sent");
        return "%.1f %% (%s)".formatted(100.0 * s.errors() / (s.sent() + s.notSent()), String.join(", ", parts));
    }

    static void writeHistogram(Path out, ServiceProcess.Kind kind, OpenLoadGenerator.Step s) throws IOException {
        Path file = out.resolve("%s-%.0f-per-s.hgrm".formatted(kind.label, s.targetRate()));
        try (PrintStream print = new PrintStream(Files.newOutputStream(file), true, "UTF-8")) {
            print.printf("# %s service, %.0f req/s for %d s: latency from the due time, milliseconds%n", kind.label,
                    s.targetRate(), s.length().toSeconds());
            s.latency().outputPercentileDistribution(print, 1000.0);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    static List<ServiceProcess.Kind> targets(String spec) {
        List<ServiceProcess.Kind> kinds = new ArrayList<>();
        for (String t : spec.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
            if (t.isEmpty()) continue;
            kinds.add(switch (t) {
                case "java" -> ServiceProcess.Kind.JAVA;
                case "go" -> ServiceProcess.Kind.GO;
                default -> throw new IllegalArgumentException("AGGREGATION_LAB_TARGET: java, go or java,go: " + spec);
            });
        }
        return kinds;
    }

    static List<Double> rates(String spec) {
        if (spec == null || spec.isBlank()) return RATES;
        return Arrays.stream(spec.trim().split("[,\\s]+")).map(Double::parseDouble).toList();
    }

    static String goVersion() {
        try {
            Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v.replace("go version ", "");
        } catch (IOException | InterruptedException e) {
            return "go (version unknown)";
        }
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

    /** Ends the JVM if the lab ever stalls. */
    static void startWatchdog() {
        Thread.ofPlatform().daemon().name("lab-watchdog").start(() -> {
            try {
                Thread.sleep(WATCHDOG);
            } catch (InterruptedException e) {
                return;
            }
            System.out.flush();
            System.err.println("AggregationLab: still running after " + WATCHDOG.toMinutes() + " min, giving up");
            Runtime.getRuntime().halt(2);
        });
    }

    private AggregationLab() {
    }
}
