package workshop.gc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import workshop.support.TimeLimit;
import workshop.support.memory.Heap;
import workshop.support.threads.LeakDetector;
import workshop.support.threads.ThreadDumps;
import workshop.support.threads.ThreadSnapshot;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.rethrowFailures;

@Tag("04.6")
@DisplayName("04.6 A Cleaner as a safety net")
@TimeLimit(seconds = 30)
class NativeHandleTest {

    /**
     * Starts the handle's Cleaner, and so its thread, before the leak detector's baseline: a shared Cleaner's thread
     * is started on first use and lives for good, which is right, not a leak. JUnit reads this static field, and so
     * initializes this class, before any beforeAll callback runs.
     */
    @RegisterExtension
    static final BeforeAllCallback CLEANER_WARM_UP = warmUp();

    private static BeforeAllCallback warmUp() {
        try {
            NativeHandle.allocate(new FakeNativeMemory(), 16).close();
        } catch (RuntimeException | LinkageError notYet) {
            // not solved yet: nothing to warm up
        }
        return (ExtensionContext context) -> { };
    }

    /** What the test keeps of a handle it forgot: a weak reference and the address, never the handle. */
    private record Forgotten(WeakReference<NativeHandle> handle, long address) {
    }

    /** Allocates a handle and forgets it; a method of its own, so no frame of the test holds the handle. */
    private static Forgotten forget(FakeNativeMemory memory) {
        NativeHandle handle = NativeHandle.allocate(memory, 1024);
        return new Forgotten(new WeakReference<>(handle), handle.address());
    }

    /** Allocates a handle, closes it and forgets it. */
    private static Forgotten closeAndForget(FakeNativeMemory memory) {
        NativeHandle handle = NativeHandle.allocate(memory, 1024);
        long address = handle.address();
        handle.close();
        return new Forgotten(new WeakReference<>(handle), address);
    }

    @Test
    @DisplayName("allocates when created, frees on close, and refuses its address once closed")
    void allocatesAndFrees() {
        FakeNativeMemory memory = new FakeNativeMemory();
        NativeHandle handle = NativeHandle.allocate(memory, 4096);
        long address = handle.address();
        assertThat(memory.isLive(address)).as("[04.6] allocate() should allocate the memory the handle owns: %d "
                + "allocations, address 0x%x not live (README 04.6)", memory.allocations(), address).isTrue();

        handle.close();

        assertThat(memory.isLive(address)).as("[04.6] close() did not free the handle's memory: the explicit close "
                + "is the real way to free it (README 04.6)").isFalse();
        assertThat(memory.freesOf(address)).as("[04.6] one close() freed the memory %d times (README 04.6)",
                memory.freesOf(address)).isEqualTo(1);
        Throwable thrown = catchThrowable(handle::address);
        assertThat(thrown).as("[04.6] address() of a closed handle should throw IllegalStateException; it %s "
                + "(README 04.6)", thrown == null ? "returned the freed address" : "threw " + thrown)
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("closing twice frees once")
    void closeIsIdempotent() {
        FakeNativeMemory memory = new FakeNativeMemory();
        NativeHandle handle = NativeHandle.allocate(memory, 4096);
        long address = handle.address();

        handle.close();
        Throwable second = catchThrowable(handle::close);

        assertThat(memory.freesOf(address)).as("[04.6] close() twice freed the memory %d times%s: close must be "
                + "idempotent, a second close does nothing (a double free corrupts a real heap) (README 04.6)",
                memory.freesOf(address), second == null ? "" : " (the second close threw " + second + ")")
                .isEqualTo(1);
        assertThat(second).as("[04.6] a second close() threw %s: close must be idempotent (README 04.6)", second)
                .isNull();
    }

    @Test
    @DisplayName("16 threads closing one handle at once free it once (50 handles)")
    void concurrentCloseFreesOnce() throws Exception {
        FakeNativeMemory memory = new FakeNativeMemory();
        int threads = 16;
        List<NativeHandle> handles = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            handles.add(NativeHandle.allocate(memory, 64));
        }
        List<Long> addresses = handles.stream().map(NativeHandle::address).toList();
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<?>> tasks = new ArrayList<>();
        ExecutorService closers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("[04.6] close-", 0)
                .factory());
        try {
            for (int t = 0; t < threads; t++) {
                tasks.add(closers.submit(() -> {
                    for (NativeHandle handle : handles) {
                        together.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        try {
                            handle.close();
                        } catch (IllegalStateException doubleFree) {
                            // counted by the memory: the assertion below reports it
                        }
                    }
                    return null;
                }));
            }
            closers.shutdown();
            boolean ended = closers.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            rethrowFailures(tasks);
            assertThat(ended).as("[04.6] 16 threads closing 50 handles did not finish in %d s (README 04.6)",
                    PATIENCE.toSeconds()).isTrue();
        } finally {
            closers.shutdownNow();
            closers.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        long freedTwice = addresses.stream().filter(a -> memory.freesOf(a) > 1).count();
        assertThat(freedTwice).as("[04.6] 16 threads closed each of 50 handles at once, and %d handles were freed "
                + "more than once (%d double frees): checking a flag and then freeing is two steps, another thread "
                + "gets between them; make \"free once\" one atomic step (README 04.6)", freedTwice,
                memory.doubleFrees()).isZero();
        assertThat(memory.liveAllocations()).as("[04.6] closed handles still own memory (README 04.6)").isZero();
    }

    @Test
    @DisplayName("a handle nobody closed is freed by the cleaner once it is unreachable")
    void aForgottenHandleIsFreed() throws NoSuchMethodException {
        FakeNativeMemory memory = new FakeNativeMemory();
        Forgotten forgotten = forget(memory);

        boolean freed = Heap.collectUntil("04.6", () -> memory.liveAllocations() == 0);

        assertThat(freed).as("[04.6] a handle nobody closed was %s, but its memory was still not freed after many "
                + "collections: register a cleaning action with a Cleaner when the handle is made (README 04.6)",
                forgotten.handle().refersTo(null) ? "collected" : "still reachable").isTrue();
        assertThat(memory.frees() + memory.doubleFrees()).as("[04.6] the cleaner freed a forgotten handle %d times "
                + "(README 04.6)", memory.frees() + memory.doubleFrees()).isEqualTo(1);
        boolean finalizes = java.util.Arrays.stream(NativeHandle.class.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals("finalize") && m.getParameterCount() == 0);
        assertThat(finalizes).as("[04.6] NativeHandle overrides finalize(): finalization is deprecated for removal "
                + "(JEP 421), runs late or never, and resurrects the object; use a Cleaner (README 04.6)").isFalse();
    }

    @Test
    @DisplayName("a handle nobody closed becomes unreachable: the cleaning action does not hold it")
    void theCleaningActionDoesNotHoldTheHandle() {
        FakeNativeMemory memory = new FakeNativeMemory();
        Forgotten forgotten = forget(memory);

        boolean survives = Heap.survives("04.6", forgotten.handle());

        assertThat(survives).as("[04.6] a handle nobody references any more is still reachable after garbage "
                + "collections: the cleaner holds its action strongly, so an action that holds the handle (a lambda "
                + "that uses a field or this, an inner class) keeps it reachable for good, and it is never cleaned. "
                + "Give the action only what freeing needs (README 04.6)").isFalse();
    }

    @Test
    @DisplayName("a closed handle is never freed again by the cleaner once it is unreachable")
    void aClosedHandleIsNotFreedAgain() {
        FakeNativeMemory memory = new FakeNativeMemory();
        List<Forgotten> closed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            closed.add(closeAndForget(memory));
        }
        Forgotten sentinel = forget(memory); // dropped at the same time: its cleaning shows the cleaner has run

        boolean collected = Heap.collectUntil("04.6", () -> memory.liveAllocations() == 0
                && sentinel.handle().refersTo(null) && closed.stream().allMatch(f -> f.handle().refersTo(null)));
        assertThat(collected).as("[04.6] 10 closed handles and one forgotten one were dropped, but after many "
                + "collections they were not all collected and cleaned (README 04.6)").isTrue();
        await("[04.6] the cleaner to leave closed handles alone").during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .failFast("[04.6] the cleaner freed closed handles a second time after they became "
                        + "unreachable: close() freed the memory but left the cleaning action registered; "
                        + "close through the Cleanable (clean()), which runs the action once and unregisters it "
                        + "(README 04.6)", () -> memory.doubleFrees() > 0)
                .until(() -> memory.doubleFrees() == 0);
    }

    @Test
    @DisplayName("all handles share one Cleaner: 50 handles start no thread")
    void oneCleanerForAllHandles() {
        FakeNativeMemory memory = new FakeNativeMemory();
        Set<Long> before = LeakDetector.baseline();
        List<NativeHandle> handles = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            handles.add(NativeHandle.allocate(memory, 64));
        }
        ThreadDumps.Sample started = LeakDetector.newThreads(before);
        handles.forEach(NativeHandle::close);

        assertThat(started.matched()).as("[04.6] making 50 handles started %d threads (%s): every Cleaner has a "
                + "thread of its own, so a Cleaner per handle is a thread per handle; share one Cleaner, in a static "
                + "field (README 04.6)", started.matched(), started.threads().stream().limit(3)
                .map(ThreadSnapshot::name).collect(Collectors.joining(", "))).isLessThanOrEqualTo(1);
    }
}
