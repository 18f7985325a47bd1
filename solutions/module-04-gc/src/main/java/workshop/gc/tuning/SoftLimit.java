package workshop.gc.tuning;

import java.util.List;

/**
 * Exercise 04.8: A soft limit, the GOMEMLIMIT way
 *
 * <p>A service has a hard heap limit of 512 MB for its rare bursts, but should keep its heap near 200 MB the rest of
 * the time, the way {@code GOMEMLIMIT} keeps a Go program near its soft limit. Give it JVM options that do so, without
 * touching the hard limit.
 *
 * <pre>{@code
 * GOMEMLIMIT=200MiB ./service        # or at run time: debug.SetMemoryLimit(200 << 20)
 * # the GC works harder as the heap nears 200 MiB; a burst above it is still allowed
 * }</pre>
 *
 * <p>The test starts a child JVM with {@code -Xmx512m} and these options, runs a workload that allocates heavily with
 * a small live set and ends with a short burst of live data above 200 MB, and reads the heap it used from the child.
 */
public final class SoftLimit {

    private SoftLimit() {
    }

    /**
     * The JVM options the service starts with, one option per element, exactly as they would follow {@code java} on
     * a command line (for example {@code "-XX:+UseSerialGC"}). The test puts {@code -Xmx512m} before them.
     *
     * @return the options; empty for the JVM's defaults
     */
    public static List<String> jvmOptions() {
        // SoftMaxHeapSize is the JVM's GOMEMLIMIT: a heap size the collector aims to stay below, while -Xmx stays
        // the hard limit a burst may still use. ZGC and Shenandoah honour it; G1, Parallel and Serial ignore it in
        // JDK 25, so the collector is half of the answer.
        return List.of("-XX:+UseZGC", "-XX:SoftMaxHeapSize=200m");
    }
}
