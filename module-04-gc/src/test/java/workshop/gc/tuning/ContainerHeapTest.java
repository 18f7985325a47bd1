package workshop.gc.tuning;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;
import workshop.support.testing.Patience;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("04.7")
@DisplayName("04.7 A heap sized for its container")
@TimeLimit(seconds = 40)
class ContainerHeapTest {

    /** The workload's live data, in percent of the container: more than the JVM's default heap can hold. */
    static final int LIVE_PERCENT = 40;

    /** The most of the container the heap may take: the rest is for metaspace, code, thread stacks, buffers. */
    static final int MAX_HEAP_PERCENT = 80;

    private static final long MB = 1024 * 1024;

    /** One child run per container size and set of options, shared by the tests of that size. */
    private static final Map<String, ChildJvm.Run> RUNS = new HashMap<>();

    /** Runs the workload in a container of {@code containerMb} with the learner's options (once per class). */
    static ChildJvm.Run runIn(int containerMb) throws InterruptedException {
        List<String> options = ContainerHeap.jvmOptions();
        String key = containerMb + " " + options;
        synchronized (RUNS) {
            ChildJvm.Run run = RUNS.get(key);
            if (run == null) {
                run = ChildJvm.run("04.7", List.of(), options, List.of("-XX:MaxRAM=" + containerMb + "m"),
                        ContainerWorkload.class, List.of(String.valueOf(liveMb(containerMb))), Patience.seconds(30));
                RUNS.put(key, run);
            }
            return run;
        }
    }

    static int liveMb(int containerMb) {
        return containerMb * LIVE_PERCENT / 100;
    }

    /** The child's heap limit in bytes, or a failure that shows what the child printed. */
    static long maxHeapBytes(ChildJvm.Run run, int containerMb) {
        return run.longValue("max-heap-bytes").orElseThrow(() -> new AssertionError(
                "[04.7] the child JVM in a " + containerMb + " MB container did not even report its heap: "
                        + run.describe() + "\n(README 04.7)"));
    }

    static void keepsTheHeapInsideTheContainer(int containerMb) throws InterruptedException {
        ChildJvm.Run run = runIn(containerMb);
        long heapMb = maxHeapBytes(run, containerMb) / MB;
        long allowedMb = containerMb * MAX_HEAP_PERCENT / 100;
        long alignmentMb = 2; // the JVM rounds the heap up to its alignment: 80% of 256 MB is a 206 MB heap
        String problem = heapMb > containerMb
                ? "bigger than the container itself: the kernel ends the process (its OOM killer) before the GC ever"
                + " feels short of memory. A fixed -Xmx does not follow the container: give the heap a share of it"
                : "which leaves less than " + (100 - MAX_HEAP_PERCENT) + "% of the container for the memory that is"
                + " not heap (metaspace, code cache, thread stacks, direct buffers, the GC's own structures):"
                + " leave room for it";
        assertThat(heapMb)
                .as("[04.7] in a %d MB container the child's heap may grow to %d MB (its MaxHeapSize), %s"
                                + " (at most %d%% of the container: %d MB) (README 04.7)",
                        containerMb, heapMb, problem, MAX_HEAP_PERCENT, allowedMb)
                .isLessThanOrEqualTo(allowedMb + alignmentMb);
    }

    static void finishesTheWorkload(int containerMb) throws InterruptedException {
        ChildJvm.Run run = runIn(containerMb);
        int liveMb = liveMb(containerMb);
        if (run.ranOutOfMemory()) {
            long heapMb = maxHeapBytes(run, containerMb) / MB;
            String options = String.join(" ", ContainerHeap.jvmOptions());
            String why = options.contains("Initial") || options.contains("-Xms")
                    ? " InitialRAMPercentage and -Xms set the heap a JVM starts with, not how far it may grow."
                    : "";
            throw new AssertionError(("[04.7] in a %d MB container, with %d MB of live data, the child ran out of"
                    + " heap (OutOfMemoryError, exit code 3): its heap could grow to %d MB only, %d%% of the"
                    + " container (by default a JVM takes a quarter of it, MaxRAMPercentage=25, with a floor of about"
                    + " 126 MB).%s Size the heap for the container it runs in (README 04.7)").formatted(containerMb,
                    liveMb, heapMb, heapMb * 100 / containerMb, why));
        }
        assertThat(run.finished())
                .as("[04.7] the child JVM in a %d MB container should run the workload (%d MB live) to the end: %s"
                        + "\n(README 04.7)", containerMb, liveMb, run.describe())
                .isTrue();
    }

    @Nested
    @DisplayName("In a 512 MB container")
    class In512MegabyteContainer {

        @Test
        @DisplayName("the workload, 204 MB live, runs to the end without OutOfMemoryError")
        void finishesTheWorkload() throws InterruptedException {
            ContainerHeapTest.finishesTheWorkload(512);
        }

        @Test
        @DisplayName("the heap may take at most 80% of the container")
        void keepsTheHeapInsideTheContainer() throws InterruptedException {
            ContainerHeapTest.keepsTheHeapInsideTheContainer(512);
        }
    }

    @Nested
    @DisplayName("In a 256 MB container")
    class In256MegabyteContainer {

        @Test
        @DisplayName("the workload, 102 MB live, runs to the end without OutOfMemoryError")
        void finishesTheWorkload() throws InterruptedException {
            ContainerHeapTest.finishesTheWorkload(256);
        }

        @Test
        @DisplayName("the heap may take at most 80% of the container")
        void keepsTheHeapInsideTheContainer() throws InterruptedException {
            ContainerHeapTest.keepsTheHeapInsideTheContainer(256);
        }
    }
}
