package workshop.gc.examples;

import jdk.jfr.consumer.RecordingStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * pprof's allocation profile, the JFR way: a {@link RecordingStream} in the process itself, sampling allocations
 * ({@code jdk.ObjectAllocationSample}, each sample weighted by the bytes it stands for) and reporting every collection
 * ({@code jdk.GarbageCollection}). Starting the stream takes a few seconds; it is a tool for a lab or a service's
 * diagnostics endpoint, not for a test. While it runs, {@code jcmd <pid> GC.class_histogram} shows what is live.
 */
public final class Diagnostics {

    private Diagnostics() {
    }

    record Order(String id, List<String> lines) {}

    static volatile Object sink;

    static void allocate(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        List<Order> recent = new ArrayList<>();
        for (int i = 0; System.nanoTime() < end; i++) {
            Order order = new Order("order-" + i, List.of("sku-" + (i % 100), "qty-" + (i % 7)));
            recent.add(order);
            if (recent.size() == 10_000) {
                sink = recent;
                recent = new ArrayList<>();
            }
        }
    }

    // tag::jfr-stream[]
    static Map<String, Long> allocationProfile(Duration window) {
        Map<String, Long> bytesByClass = new ConcurrentHashMap<>();
        try (var stream = new RecordingStream()) {
            stream.enable("jdk.ObjectAllocationSample").with("throttle", "300/s");
            stream.enable("jdk.GarbageCollection");
            stream.onEvent("jdk.ObjectAllocationSample", e -> bytesByClass.merge( // weight: the bytes it stands for
                    e.getClass("objectClass").getName(), e.getLong("weight"), Long::sum));
            stream.onEvent("jdk.GarbageCollection", e -> System.out.printf("%s (%s): longest pause %.2f ms%n",
                    e.getString("name"), e.getString("cause"), e.getDuration("longestPause").toNanos() / 1e6));
            stream.startAsync();
            allocate(window);                     // the workload under observation
        }
        return bytesByClass;
    }
    // end::jfr-stream[]

    /** How long a stream takes to start, measured on its own. */
    static double startSeconds() {
        long t0 = System.nanoTime();
        try (var stream = new RecordingStream()) {
            stream.enable("jdk.ObjectAllocationSample").with("throttle", "300/s");
            stream.startAsync();
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    public static void main(String[] args) {
        System.out.printf("a JFR stream started in %.2f s%n", startSeconds());
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, Long> profile = allocationProfile(Duration.ofSeconds(seconds));
        profile.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(e -> System.out.printf("%-40s %,d MB%n", e.getKey(), e.getValue() >> 20));
    }
}
