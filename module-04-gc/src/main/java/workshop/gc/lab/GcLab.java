package workshop.gc.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Module 04 lab: what the JVM's collectors cost and what they do with memory, measured in child JVMs started with the
 * JDK that runs this lab ({@code java.home}, never the {@code java} on the PATH). Four sections:
 * <ol>
 * <li><b>Pauses as the application feels them.</b> A platform thread sleeps 1 ms in a loop and records how late it
 * woke (its overshoot), while another thread allocates short-lived garbage and replaces parts of a live set. For G1,
 * ZGC, Parallel, Shenandoah (and generational Shenandoah), plus a baseline without allocation: overshoot p50, p99,
 * max; GC cycles; the allocation rate reached.
 * <li><b>Memory over time with and without a soft limit.</b> The same allocation with a smaller live set, sampling the
 * committed heap and the process's RSS every 50 ms, without and with {@code -XX:SoftMaxHeapSize}, for G1, ZGC and
 * Shenandoah; then the death spiral: a live set above the soft limit.
 * <li><b>Escape analysis in bytes per operation</b>: a record that never escapes and one that does, with {@code -Xint},
 * C1 only ({@code -XX:TieredStopAtLevel=1}), C2 (the default) and C2 with {@code -XX:-DoEscapeAnalysis}.
 * <li><b>A pool of small objects against plain allocation</b> (ns per operation, a rough timing), and a large direct
 * buffer allocated per use against one reused.
 * </ol>
 * Options, as system properties or environment variables: {@code GC_LAB_SECONDS} (per run of sections 1 and 2,
 * default 4), {@code GC_LAB_LIVE_MB} (section 1's live set, default 256), {@code GC_LAB_SOFT_LIVE_MB} (section 2's,
 * default 150), {@code GC_LAB_SOFT_MB} (the soft limit, default 300), {@code GC_LAB_SPIRAL_LIVE_MB} (default 400),
 * {@code GC_LAB_HEAP_MB} (-Xmx of every child, default 1024), {@code GC_LAB_RATE_MB} (section 2's allocation rate,
 * MB/s, default 300; 0 = as fast as it can), {@code GC_LAB_SECTIONS} (default {@code 1,2,3,4}).
 * {@code lab/go/gc.go} is the Go twin.
 */
public final class GcLab {

    static final String REPRODUCE = "./mvnw -q -Plab -DskipTests verify -pl module-04-gc -am";
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final long MB = 1024 * 1024;

    private GcLab() {
    }

    // ------------------------------------------------------------------------------------------------ the parent

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            Child.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        long t0 = System.nanoTime();
        int seconds = option("GC_LAB_SECONDS", 4);
        int liveMb = option("GC_LAB_LIVE_MB", 256);
        int softLiveMb = option("GC_LAB_SOFT_LIVE_MB", 150);
        int softMb = option("GC_LAB_SOFT_MB", 300);
        int spiralLiveMb = option("GC_LAB_SPIRAL_LIVE_MB", 400);
        int heapMb = option("GC_LAB_HEAP_MB", 1024);
        int rateMb = option("GC_LAB_RATE_MB", 300);
        String sections = optionString("GC_LAB_SECTIONS", "1,2,3,4");
        System.out.printf("JVM for the children: %s (Java %s)%n", JAVA, Runtime.version());
        System.out.printf("OS: %s %s, available processors: %d, load average at start: %s%n",
                System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.println("reproduce: " + REPRODUCE);
        System.out.printf("options: GC_LAB_SECONDS=%d GC_LAB_LIVE_MB=%d GC_LAB_SOFT_LIVE_MB=%d GC_LAB_SOFT_MB=%d"
                        + " GC_LAB_SPIRAL_LIVE_MB=%d GC_LAB_HEAP_MB=%d GC_LAB_RATE_MB=%d GC_LAB_SECTIONS=%s%n%n",
                seconds, liveMb, softLiveMb, softMb, spiralLiveMb, heapMb, rateMb, sections);
        List<String> tables = new ArrayList<>();
        if (sections.contains("1")) {
            tables.add(pauses(seconds, liveMb, heapMb));
        }
        if (sections.contains("2")) {
            tables.add(softLimit(seconds, softLiveMb, softMb, spiralLiveMb, heapMb, rateMb));
        }
        if (sections.contains("3")) {
            tables.add(escapeAnalysis());
        }
        if (sections.contains("4")) {
            tables.add(pooling());
        }
        System.out.println();
        for (String table : tables) {
            System.out.println(table);
        }
        System.out.printf("lab time %.0f s; load average at the end: %s%n",
                (System.nanoTime() - t0) / 1e9, loadAverage());
        System.out.println("These are one machine's figures at one moment: only the ratios between rows carry over.");
    }

    record Collector(String name, List<String> flags) {
        static Collector of(String name, String... flags) {
            return new Collector(name, List.of(flags));
        }
    }

    static final Collector G1 = Collector.of("G1", "-XX:+UseG1GC");
    static final Collector ZGC = Collector.of("ZGC", "-XX:+UseZGC");
    static final Collector PARALLEL = Collector.of("Parallel", "-XX:+UseParallelGC");
    static final Collector SHENANDOAH = Collector.of("Shenandoah", "-XX:+UseShenandoahGC");
    static final Collector SHENANDOAH_GEN = Collector.of("Shenandoah generational", "-XX:+UseShenandoahGC",
            "-XX:ShenandoahGCMode=generational");

    static String pauses(int seconds, int liveMb, int heapMb) throws Exception {
        System.out.printf("section 1: a thread sleeps 1 ms in a loop while another allocates; live set %d MB,"
                + " -Xmx%dm, %d s per run%n", liveMb, heapMb, seconds);
        StringBuilder table = new StringBuilder();
        table.append(String.format("Section 1: sleep(1 ms) overshoot while allocating (live set %d MB, -Xmx%dm,"
                + " %d s each)%n", liveMb, heapMb, seconds));
        table.append("| collector | overshoot p50 | p99 | max | GC cycles | allocation rate | process CPU |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        List<Object[]> runs = new ArrayList<>();
        runs.add(new Object[] {"G1, no allocation (baseline)", G1, false});
        for (Collector c : List.of(G1, ZGC, PARALLEL, SHENANDOAH, SHENANDOAH_GEN)) {
            runs.add(new Object[] {c.name(), c, true});
        }
        for (Object[] run : runs) {
            Collector c = (Collector) run[1];
            List<String> cmd = new ArrayList<>(c.flags());
            cmd.addAll(List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m"));
            Map<String, String> r = child(cmd, "pauses", seconds, liveMb, (Boolean) run[2] ? 1 : 0);
            String row = String.format("| %s | %s | %s | %s | %s | %s | %s s |", run[0], micros(r, "p50"),
                    micros(r, "p99"), micros(r, "max"), r.getOrDefault("gcs", "?"), rate(r),
                    r.getOrDefault("cpu", "?"));
            System.out.println("  " + row);
            table.append(row).append('\n');
        }
        return table.toString();
    }

    static String softLimit(int seconds, int liveMb, int softMb, int spiralLiveMb, int heapMb, int rateMb)
            throws Exception {
        System.out.printf("%nsection 2: committed heap and RSS, sampled every 50 ms, without and with"
                + " -XX:SoftMaxHeapSize=%dm; live set %d MB, then %d MB (above the soft limit)%n",
                softMb, liveMb, spiralLiveMb);
        StringBuilder table = new StringBuilder();
        table.append(String.format("Section 2: memory with and without -XX:SoftMaxHeapSize=%dm (-Xmx%dm, -Xms64m,"
                + " allocation held near %d MB/s, %d s each)%n", softMb, heapMb, rateMb, seconds));
        table.append("| collector | live set | soft limit | committed at 1 s / 2 s / end | peak committed"
                + " | peak RSS | peak used | GC cycles | process CPU |\n");
        table.append("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int live : new int[] {liveMb, spiralLiveMb}) {
            for (Collector c : List.of(G1, ZGC, SHENANDOAH)) {
                for (boolean soft : new boolean[] {false, true}) {
                    List<String> cmd = new ArrayList<>(c.flags());
                    cmd.addAll(List.of("-Xms64m", "-Xmx" + heapMb + "m"));
                    if (soft) {
                        cmd.add("-XX:SoftMaxHeapSize=" + softMb + "m");
                    }
                    Map<String, String> r = child(cmd, "memory", seconds, live, rateMb);
                    String row = String.format("| %s | %d MB | %s | %s / %s / %s MB | %s MB | %s MB | %s MB | %s"
                                    + " | %s |", c.name(), live, soft ? softMb + " MB" : "none",
                            r.getOrDefault("c1", "?"), r.getOrDefault("c2", "?"), r.getOrDefault("cEnd", "?"),
                            r.getOrDefault("peakCommitted", "?"), r.getOrDefault("peakRss", "?"),
                            r.getOrDefault("peakUsed", "?"), r.getOrDefault("gcs", "?"),
                            r.getOrDefault("cpu", "?") + " s");
                    System.out.println("  " + row);
                    table.append(row).append('\n');
                }
            }
        }
        return table.toString();
    }

    static String escapeAnalysis() throws Exception {
        System.out.printf("%nsection 3: escape analysis, bytes per operation from the thread's allocation counter%n");
        StringBuilder table = new StringBuilder();
        table.append("Section 3: bytes per operation (first round / best of 12 rounds of 1,000,000), ns per op"
                + " (best round)\n");
        table.append("| compiler | non-escaping record | escaping record | ns/op non-escaping |\n");
        table.append("| --- | ---: | ---: | ---: |\n");
        Map<String, List<String>> modes = new LinkedHashMap<>();
        modes.put("interpreter (-Xint)", List.of("-Xint"));
        modes.put("C1 only (-XX:TieredStopAtLevel=1)", List.of("-XX:TieredStopAtLevel=1"));
        modes.put("C2 (default)", List.of());
        modes.put("C2, -XX:-DoEscapeAnalysis", List.of("-XX:-DoEscapeAnalysis"));
        modes.put("C2, -XX:+UseCompactObjectHeaders", List.of("-XX:+UseCompactObjectHeaders"));
        for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
            List<String> cmd = new ArrayList<>(mode.getValue());
            cmd.add("-Xmx256m");
            Map<String, String> r = child(cmd, "escape", 0, 0, 0);
            String row = String.format("| %s | %s / %s B | %s / %s B | %s |", mode.getKey(),
                    r.getOrDefault("localFirst", "?"), r.getOrDefault("localBest", "?"),
                    r.getOrDefault("escFirst", "?"), r.getOrDefault("escBest", "?"),
                    r.getOrDefault("localNs", "?"));
            System.out.println("  " + row);
            table.append(row).append('\n');
        }
        return table.toString();
    }

    static String pooling() throws Exception {
        System.out.printf("%nsection 4: a pool of small objects against new, and a large direct buffer per use"
                + " against one reused (rough timings)%n");
        Map<String, String> r = child(List.of("-Xmx512m"), "pool", 0, 0, 0);
        StringBuilder table = new StringBuilder();
        table.append("Section 4: ns per operation (best of 5 rounds; a rough timing, not a JMH benchmark),"
                + " bytes per operation\n");
        table.append("| variant | 1 thread ns/op | 2 threads ns/op | bytes/op |\n");
        table.append("| --- | ---: | ---: | ---: |\n");
        for (String v : List.of("new", "dequePool", "clqPool", "syncPool", "directNew", "directReuse")) {
            String row = String.format("| %s | %s | %s | %s |", POOL_LABELS.get(v), r.getOrDefault(v + "1", "-"),
                    r.getOrDefault(v + "2", "-"), r.getOrDefault(v + "B", "?"));
            System.out.println("  " + row);
            table.append(row).append('\n');
        }
        return table.toString();
    }

    static final Map<String, String> POOL_LABELS = Map.of(
            "new", "`new` 80-byte object each time",
            "dequePool", "pool: `ArrayDeque`, one thread only, no lock",
            "clqPool", "pool: `ConcurrentLinkedQueue` (thread-safe)",
            "syncPool", "pool: `synchronized` `ArrayDeque` (thread-safe)",
            "directNew", "`ByteBuffer.allocateDirect(1 MiB)` each time",
            "directReuse", "one 1 MiB direct buffer, `clear()` and reuse");

    /** Starts a child JVM, prints a line as it starts, parses its last line of {@code key=value} pairs. */
    static Map<String, String> child(List<String> jvmFlags, String mode, int seconds, int liveMb, int flag)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GcLab.class.getName(), "child", mode,
                String.valueOf(seconds), String.valueOf(liveMb), String.valueOf(flag)));
        System.out.printf("    %s %s ...%n", mode, String.join(" ", jvmFlags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        List<String> all = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                all.add(line);
                if (line.startsWith("RESULT ")) {
                    last = line.substring(7);
                }
            }
        }
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        Map<String, String> result = new LinkedHashMap<>();
        if (last == null) {
            System.out.println("    the child printed no result (exit " + p.exitValue() + "): " + all);
            return result;
        }
        for (String pair : last.trim().split(" ")) {
            int eq = pair.indexOf('=');
            result.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return result;
    }

    static String micros(Map<String, String> r, String key) {
        String v = r.get(key);
        if (v == null) {
            return "?";
        }
        double us = Long.parseLong(v) / 1e3;
        return us >= 1000 ? String.format("%.1f ms", us / 1e3) : String.format("%.0f us", us);
    }

    static String rate(Map<String, String> r) {
        String v = r.get("mbPerSec");
        return v == null ? "?" : v + " MB/s";
    }

    static int option(String name, int dflt) {
        return Integer.parseInt(optionString(name, String.valueOf(dflt)));
    }

    static String optionString(String name, String dflt) {
        String v = System.getProperty(name);
        if (v == null) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    // ------------------------------------------------------------------------------------------------ the children

    /** The code that runs in each child JVM; prints one line {@code RESULT key=value ...}. */
    static final class Child {

        static volatile Object sink;
        static long blackhole;

        static void main(String[] args) throws Exception {
            String mode = args[0];
            int seconds = Integer.parseInt(args[1]);
            int liveMb = Integer.parseInt(args[2]);
            int flag = Integer.parseInt(args[3]);
            switch (mode) {
                case "pauses" -> pauses(seconds, liveMb, flag == 1);
                case "memory" -> memory(seconds, liveMb, flag);
                case "escape" -> escape();
                case "pool" -> pool();
                default -> throw new IllegalArgumentException(mode);
            }
        }

        static long gcCycles() {
            long n = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!gc.getName().contains("Pauses")) { // ZGC and Shenandoah also count their pauses apart
                    n += Math.max(0, gc.getCollectionCount());
                }
            }
            return n;
        }

        static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        static long threadAllocated(Thread t) {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                    .getThreadAllocatedBytes(t.threadId());
        }

        /** A live set of 1 KiB arrays, liveMb in all. */
        static byte[][] liveSet(int liveMb) {
            byte[][] live = new byte[liveMb * 1024][];
            for (int i = 0; i < live.length; i++) {
                live[i] = new byte[1024];
            }
            return live;
        }

        record Node(long value, Node next) {}

        /** One unit of work: a list of 8 nodes (garbage at once), and now and then a live entry replaced. */
        static long churn(byte[][] live, int i) {
            Node list = null;
            for (int k = 0; k < 8; k++) {
                list = new Node(i + k, list);
            }
            sink = list; // escapes: a real allocation under every compiler
            if (live.length > 0 && (i & 15) == 0) {
                live[ThreadLocalRandom.current().nextInt(live.length)] = new byte[1024];
            }
            return list.value();
        }

        static void pauses(int seconds, int liveMb, boolean allocate) throws Exception {
            byte[][] live = liveSet(liveMb);
            System.gc();
            AtomicBoolean stop = new AtomicBoolean();
            long[] ops = new long[1];
            Thread worker = Thread.ofPlatform().start(() -> {
                long sum = 0;
                int i = 0;
                while (!stop.get()) {
                    if (allocate) {
                        sum += churn(live, i++);
                    } else {
                        for (int k = 0; k < 8; k++) {
                            sum += (long) i++ * k; // the same busy core, without allocating
                        }
                    }
                }
                ops[0] = i;
                blackhole = sum;
            });
            long cpuBefore = processCpuNanos();
            long gcBefore = gcCycles();
            long allocBefore = threadAllocated(worker);
            long[] overshoot = new long[seconds * 1000 + 10];
            int n = 0;
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long now = start;
            while (now < end && n < overshoot.length) {
                long t = System.nanoTime();
                Thread.sleep(1);
                now = System.nanoTime();
                overshoot[n++] = Math.max(0, now - t - 1_000_000);
            }
            long allocated = threadAllocated(worker) - allocBefore;
            long gcs = gcCycles() - gcBefore;
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuBefore) / 1e9;
            stop.set(true);
            worker.join();
            long[] s = Arrays.copyOf(overshoot, n);
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "RESULT p50=%d p99=%d max=%d samples=%d gcs=%d mbPerSec=%.0f cpu=%.1f"
                    + " live=%d%n", s[n / 2], s[(int) (n * 0.99)], s[n - 1], n, gcs, allocated / elapsed / MB, cpu,
                    live.length);
        }

        static long rssMb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no RSS
            }
            return -1;
        }

        static void memory(int seconds, int liveMb, int rateMb) throws Exception {
            byte[][] live = liveSet(liveMb);
            AtomicBoolean stop = new AtomicBoolean();
            Thread worker = Thread.ofPlatform().start(() -> {
                var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long begin = System.nanoTime();
                long base = mx.getCurrentThreadAllocatedBytes();
                long sum = 0;
                int i = 0;
                while (!stop.get()) {
                    sum += churn(live, i++);
                    if ((i & 1023) == 0 && rateMb > 0) { // hold the allocation rate near rateMb MB/s
                        long due = (long) ((mx.getCurrentThreadAllocatedBytes() - base) * 1e9 / (rateMb * (double) MB));
                        long ahead = due - (System.nanoTime() - begin);
                        if (ahead > 0) {
                            try {
                                Thread.sleep(Math.max(1, ahead / 1_000_000));
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }
                blackhole = sum;
            });
            var memory = ManagementFactory.getMemoryMXBean();
            long cpuBefore = processCpuNanos();
            long gcBefore = gcCycles();
            long allocBefore = threadAllocated(worker);
            long start = System.nanoTime();
            long peakCommitted = 0;
            long peakUsed = 0;
            long peakRss = 0;
            long c1 = -1;
            long c2 = -1;
            long committed = 0;
            while (true) {
                var heap = memory.getHeapMemoryUsage();
                committed = heap.getCommitted() / MB;
                peakCommitted = Math.max(peakCommitted, committed);
                peakUsed = Math.max(peakUsed, heap.getUsed() / MB);
                peakRss = Math.max(peakRss, rssMb());
                double t = (System.nanoTime() - start) / 1e9;
                if (c1 < 0 && t >= 1) {
                    c1 = committed;
                }
                if (c2 < 0 && t >= 2) {
                    c2 = committed;
                }
                if (t >= seconds) {
                    break;
                }
                Thread.sleep(50);
            }
            long allocated = threadAllocated(worker) - allocBefore;
            double elapsed = (System.nanoTime() - start) / 1e9;
            long gcs = gcCycles() - gcBefore;
            double cpu = (processCpuNanos() - cpuBefore) / 1e9;
            stop.set(true);
            worker.join();
            System.out.printf(Locale.ROOT, "RESULT c1=%d c2=%d cEnd=%d peakCommitted=%d peakUsed=%d peakRss=%d gcs=%d"
                            + " mbPerSec=%.0f cpu=%.1f live=%d%n", c1, c2, committed, peakCommitted, peakUsed, peakRss,
                    gcs, allocated / elapsed / MB, cpu, live.length);
        }

        record Point(int x, int y) {}

        static Point[] escaped = new Point[1024];

        static long local(int i) {
            Point p = new Point(i, i + 1); // never leaves this method: C2 can replace it by two ints
            return p.x() + p.y();
        }

        static long escaping(int i) {
            Point p = new Point(i, i + 1);
            escaped[i & 1023] = p;         // stored in a shared array: a heap allocation for every compiler
            return p.x() + p.y();
        }

        static void escape() {
            int ops = 1_000_000;
            int rounds = 12;
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            double localFirst = -1;
            double localBest = Double.MAX_VALUE;
            double escFirst = -1;
            double escBest = Double.MAX_VALUE;
            double localNs = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                long t = System.nanoTime();
                long sum = 0;
                for (int i = 0; i < ops; i++) {
                    sum += local(i);
                }
                long ns = System.nanoTime() - t;
                double local = (threads.getCurrentThreadAllocatedBytes() - before) / (double) ops;
                before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ops; i++) {
                    sum += escaping(i);
                }
                double esc = (threads.getCurrentThreadAllocatedBytes() - before) / (double) ops;
                blackhole += sum;
                if (r == 0) {
                    localFirst = local;
                    escFirst = esc;
                }
                localBest = Math.min(localBest, local);
                escBest = Math.min(escBest, esc);
                localNs = Math.min(localNs, ns / (double) ops);
            }
            System.out.printf(Locale.ROOT, "RESULT localFirst=%.1f localBest=%.1f escFirst=%.1f escBest=%.1f"
                    + " localNs=%.1f%n", localFirst, localBest, escFirst, escBest, localNs);
        }

        /** An 80-byte object: header and eight longs. */
        static final class Payload {
            long a, b, c, d, e, f, g, h;

            long fill(long v) {
                a = v;
                b = v + 1;
                c = v + 2;
                d = v + 3;
                e = v + 4;
                f = v + 5;
                g = v + 6;
                h = v + 7;
                return a + h;
            }
        }

        interface Variant {
            /** One operation; {@code mine} is the calling thread's own sink, so that threads share no cache line. */
            long op(int i, Object[] mine);
        }

        static void pool() throws Exception {
            Map<String, String> out = new LinkedHashMap<>();
            ConcurrentLinkedQueue<Payload> clq = new ConcurrentLinkedQueue<>();
            ArrayDeque<Payload> shared = new ArrayDeque<>();
            ThreadLocal<ArrayDeque<Payload>> perThread = ThreadLocal.withInitial(ArrayDeque::new);
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("new", (i, mine) -> {
                Payload p = new Payload();
                long v = p.fill(i);
                mine[8] = p;
                return v;
            });
            variants.put("dequePool", (i, mine) -> {
                ArrayDeque<Payload> pool = perThread.get();
                Payload p = pool.poll();
                if (p == null) {
                    p = new Payload();
                }
                long v = p.fill(i);
                mine[8] = p;
                pool.push(p);
                return v;
            });
            variants.put("clqPool", (i, mine) -> {
                Payload p = clq.poll();
                if (p == null) {
                    p = new Payload();
                }
                long v = p.fill(i);
                mine[8] = p;
                clq.offer(p);
                return v;
            });
            variants.put("syncPool", (i, mine) -> {
                Payload p;
                synchronized (shared) {
                    p = shared.poll();
                }
                if (p == null) {
                    p = new Payload();
                }
                long v = p.fill(i);
                mine[8] = p;
                synchronized (shared) {
                    shared.push(p);
                }
                return v;
            });
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                for (int threads : new int[] {1, 2}) {
                    if (threads == 2 && v.getKey().equals("dequePool")) {
                        continue; // per thread: nothing shared to contend on
                    }
                    double best = Double.MAX_VALUE;
                    double bytes = 0;
                    for (int round = 0; round < 5; round++) {
                        double[] r = timed(v.getValue(), threads, 2_000_000);
                        best = Math.min(best, r[0]);
                        bytes = r[1];
                    }
                    out.put(v.getKey() + threads, String.format(Locale.ROOT, "%.1f", best));
                    if (threads == 1) {
                        out.put(v.getKey() + "B", String.format(Locale.ROOT, "%.0f", bytes));
                    }
                }
            }
            ByteBuffer reused = ByteBuffer.allocateDirect((int) MB);
            Map<String, Variant> direct = new LinkedHashMap<>();
            direct.put("directNew", (i, mine) -> {
                ByteBuffer b = ByteBuffer.allocateDirect((int) MB); // zeroed native memory, freed only after a GC
                b.putLong(0, i);
                mine[8] = b;
                return b.getLong(0);
            });
            direct.put("directReuse", (i, mine) -> {
                reused.clear();
                reused.putLong(0, i);
                return reused.getLong(0);
            });
            for (Map.Entry<String, Variant> v : direct.entrySet()) {
                double best = Double.MAX_VALUE;
                double bytes = 0;
                for (int round = 0; round < 5; round++) {
                    double[] r = timed(v.getValue(), 1, v.getKey().equals("directNew") ? 2_000 : 200_000);
                    best = Math.min(best, r[0]);
                    bytes = r[1];
                }
                out.put(v.getKey() + "1", String.format(Locale.ROOT, "%.0f", best));
                out.put(v.getKey() + "B", String.format(Locale.ROOT, "%.0f", bytes));
            }
            StringBuilder line = new StringBuilder("RESULT");
            out.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            System.out.println(line);
        }

        /** ns per op (wall clock over all threads' ops) and heap bytes per op of the first thread. */
        static double[] timed(Variant v, int threads, int opsPerThread) throws InterruptedException {
            double[] bytes = new double[1];
            Thread[] ts = new Thread[threads];
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts[t] = Thread.ofPlatform().start(() -> {
                    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                    long before = mx.getCurrentThreadAllocatedBytes();
                    Object[] mine = new Object[17]; // the slot in the middle: no neighbour on its cache line
                    long sum = 0;
                    for (int i = 0; i < opsPerThread; i++) {
                        sum += v.op(i, mine);
                    }
                    if (id == 0) {
                        bytes[0] = (mx.getCurrentThreadAllocatedBytes() - before) / (double) opsPerThread;
                    }
                    blackhole += sum;
                });
            }
            for (Thread t : ts) {
                t.join();
            }
            long ns = System.nanoTime() - start;
            return new double[] {ns / (double) opsPerThread, bytes[0]}; // per op as each thread sees it
        }
    }
}
