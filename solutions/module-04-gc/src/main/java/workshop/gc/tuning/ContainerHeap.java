package workshop.gc.tuning;

import java.util.List;

/**
 * Exercise 04.7: A heap sized for its container
 *
 * <p>A service runs in containers of different sizes. Give its JVM options that size the heap for whatever container
 * it lands in: big enough for its live data, never bigger than the container leaves room for.
 *
 * <pre>{@code
 * # Go: the heap grows to live × (1 + GOGC/100) whatever the container; GOMEMLIMIT is the brake, and the
 * # runtime does not read the container's memory limit, so you pass it on yourself
 * docker run --memory=512m -e GOMEMLIMIT=460MiB service
 * }</pre>
 *
 * <p>These options are configuration: in production they would sit in a Dockerfile's {@code ENTRYPOINT}, in
 * {@code JAVA_TOOL_OPTIONS} or in a {@code java @argfile}. Here they sit in {@link #jvmOptions()}, and the test
 * starts a child JVM with them inside a simulated container (its memory limit given with {@code -XX:MaxRAM}), once at
 * 512 MB and once at 256 MB, with a workload whose live data is 40% of the container.
 */
public final class ContainerHeap {

    private ContainerHeap() {
    }

    /**
     * The JVM options the service starts with, one option per element, exactly as they would follow {@code java} on
     * a command line (for example {@code "-XX:+UseSerialGC"}). The test adds the container's limit and its own
     * logging options after these, so a container limit given here is overridden.
     *
     * @return the options; empty for the JVM's defaults
     */
    public static List<String> jvmOptions() {
        // A share of the container, not a size: the JVM reads the container's limit (cgroups) and takes 75% of it
        // for the heap. The default share is 25%, too little for a service whose live data is 40% of its container;
        // the other quarter is left for what is not heap: metaspace, code cache, thread stacks, direct buffers.
        return List.of("-XX:MaxRAMPercentage=75");
    }
}
