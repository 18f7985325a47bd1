package workshop.gc.tuning;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;
import workshop.support.testing.Patience;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("04.8")
@DisplayName("04.8 A soft limit, the GOMEMLIMIT way")
@TimeLimit(seconds = 40)
class SoftLimitTest {

    /** The hard limit the test gives the child, before the learner's options. */
    static final int HARD_LIMIT_MB = 512;
    /** The soft limit the service should keep to. */
    static final int SOFT_TARGET_MB = 200;
    /** The bound on the 90th percentile of the sampled heap: the target plus 10% for a collector's reaction time. */
    static final int P90_BOUND_MB = 220;

    static final int LIVE_MB = 50;
    static final int WARM_UP_MB = 200;
    static final int MEASURED_MB = 800;
    static final int BURST_MB = 160;
    /** The workload allocates at most 2 MB per 2 ms: 1 GB/s, a busy service's rate, not a benchmark's. */
    static final int MICROS_PER_2_MB = 2000;

    private static final long MB = 1024 * 1024;
    private static final List<String> HONOURING = List.of("ZGC", "Shenandoah");

    /** One child run per set of options, shared by the tests. */
    private static final Map<List<String>, ChildJvm.Run> RUNS = new HashMap<>();

    static ChildJvm.Run run() throws InterruptedException {
        List<String> options = SoftLimit.jvmOptions();
        synchronized (RUNS) {
            ChildJvm.Run run = RUNS.get(options);
            if (run == null) {
                run = ChildJvm.run("04.8", List.of("-Xmx" + HARD_LIMIT_MB + "m"), options, List.of(),
                        SoftLimitWorkload.class, List.of(String.valueOf(LIVE_MB), String.valueOf(WARM_UP_MB),
                                String.valueOf(MEASURED_MB), String.valueOf(BURST_MB), String.valueOf(MICROS_PER_2_MB)),
                        Patience.seconds(30));
                RUNS.put(List.copyOf(options), run);
            }
            return run;
        }
    }

    /** The collector the child's GC log names, as people call it: ZGC, Shenandoah, G1, Parallel, Serial. */
    static String collector(ChildJvm.Run run) {
        return run.collector().map(name -> name.equals("The Z Garbage Collector") ? "ZGC" : name)
                .orElseThrow(() -> new AssertionError("[04.8] the child JVM wrote no GC log naming its collector: "
                        + run.describe() + "\n(README 04.8)"));
    }

    static long flag(ChildJvm.Run run, String key) {
        return run.longValue(key).orElseThrow(() -> new AssertionError(
                "[04.8] the child JVM did not report its heap flags: " + run.describe() + "\n(README 04.8)"));
    }

    @Test
    @DisplayName("survives a burst of live data above the soft limit: the hard limit stays -Xmx512m")
    void survivesABurst() throws InterruptedException {
        ChildJvm.Run run = run();
        long hardMb = flag(run, "max-heap-bytes") / MB;
        if (run.ranOutOfMemory()) {
            throw new AssertionError(("[04.8] the child died of OutOfMemoryError (exit code 3) %s, with a hard heap"
                    + " limit (MaxHeapSize) of %d MB: -Xmx is a hard limit, like a container's, and a burst above it"
                    + " kills the service. GOMEMLIMIT is soft: the heap may pass it when it must. Leave the test's"
                    + " -Xmx%dm alone and give the collector a soft limit below it (README 04.8)").formatted(
                    run.values().containsKey("burst-start")
                            ? "in the burst at the end (" + (LIVE_MB + BURST_MB) + " MB live for a moment)"
                            : "before the burst (" + LIVE_MB + " MB live)",
                    hardMb, HARD_LIMIT_MB));
        }
        assertThat(hardMb)
                .as("[04.8] the child's hard heap limit (MaxHeapSize) was %d MB, not the test's -Xmx%dm: leave the"
                        + " hard limit alone and set a soft one below it (README 04.8)", hardMb, HARD_LIMIT_MB)
                .isEqualTo(HARD_LIMIT_MB);
        assertThat(run.finished())
                .as("[04.8] the child JVM should run the workload to the end: %s\n(README 04.8)", run.describe())
                .isTrue();
    }

    @Test
    @DisplayName("runs a collector that honours a soft heap limit (SoftMaxHeapSize)")
    void runsACollectorThatHonoursASoftLimit() throws InterruptedException {
        ChildJvm.Run run = run();
        String collector = collector(run);
        assertThat(HONOURING)
                .as("[04.8] the child ran %s (its GC log says 'Using %s'): G1, Parallel and Serial ignore"
                                + " SoftMaxHeapSize in JDK 25, and the heap grows as if there were no soft limit. Only"
                                + " some collectors honour a soft limit: choose one of them (README 04.8)",
                        collector, run.collector().orElse(collector))
                .contains(collector);
    }

    @Test
    @DisplayName("sets a soft heap limit of at most 200 MB")
    void setsASoftLimit() throws InterruptedException {
        ChildJvm.Run run = run();
        long softMb = flag(run, "soft-max-heap-bytes") / MB;
        String origin = run.values().getOrDefault("soft-max-heap-origin", "?");
        assertThat(origin)
                .as("[04.8] the child's SoftMaxHeapSize was %d MB, its default (%s: the hard limit): with no soft limit"
                        + " the collector sizes the heap for its own comfort, and a small heap is luck, not a promise."
                        + " Set a soft limit of %d MB (README 04.8)", softMb, origin, SOFT_TARGET_MB)
                .isNotIn("DEFAULT", "ERGONOMIC");
        assertThat(softMb)
                .as("[04.8] the child's SoftMaxHeapSize was %d MB: the service should stay near %d MB, so the soft"
                        + " limit is at most that (README 04.8)", softMb, SOFT_TARGET_MB)
                .isLessThanOrEqualTo(SOFT_TARGET_MB);
    }

    @Test
    @DisplayName("keeps the heap at or below 220 MB in at least 9 of 10 samples while it allocates 800 MB")
    void keepsTheHeapNearTheSoftLimit() throws InterruptedException {
        ChildJvm.Run run = run();
        long[] usedMb = Optional.ofNullable(run.values().get("used-mb"))
                .map(list -> Arrays.stream(list.split(",")).mapToLong(Long::parseLong).sorted().toArray())
                .filter(samples -> samples.length > 0)
                .orElseThrow(() -> new AssertionError("[04.8] the child JVM did not get as far as reporting the heap it"
                        + " used: " + run.describe() + "\n(README 04.8)"));
        long p90 = usedMb[(int) Math.ceil(usedMb.length * 0.9) - 1];
        long above = Arrays.stream(usedMb).filter(mb -> mb > P90_BOUND_MB).count();
        assertThat(p90)
                .as("[04.8] the heap's used size was above %d MB in %d of %d samples (90th percentile %d MB, median %d"
                                + " MB, max %d MB; %s ran %d collections): at most 1 in 10 may be. A soft limit only"
                                + " holds if the collector honours it (README 04.8)",
                        P90_BOUND_MB, above, usedMb.length, p90, usedMb[usedMb.length / 2],
                        usedMb[usedMb.length - 1], run.collector().map(c -> "the collector, " + c + ",")
                                .orElse("the collector"), run.collections())
                .isLessThanOrEqualTo(P90_BOUND_MB);
    }
}
