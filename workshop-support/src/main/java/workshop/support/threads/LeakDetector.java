package workshop.support.threads;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Go's goleak, for Java: which threads, virtual or platform, are alive now that were not alive at a baseline.
 *
 * <p>Like goleak it ignores the runtime's own threads (the virtual-thread scheduler's carriers, idle workers of the
 * common pool, I/O pollers, JVM service threads) and gives threads that are just finishing a grace period: it looks again, every
 * few milliseconds, until they are gone or the grace period is over.
 */
public final class LeakDetector {

    /** Threads the JVM, JUnit, Surefire or this support library own; never reported. */
    private static final Pattern RUNTIME_THREAD_NAMES = Pattern.compile(String.join("|",
            "VirtualThread-unblocker", "VirtualThread-unparker", "(Read|Write|Master)-?Poller.*", ".*Poller-\\d+",
            "process reaper", "Attach Listener", "Common-Cleaner", "Signal Dispatcher", "Notification Thread",
            "Reference Handler", "Finalizer", "JFR .*", "RMI .*", "surefire-forkedjvm-.*", "junit-.*",
            "workshop-probe", "Awaitility-.*", "awaitility-.*"));

    /**
     * The threads through which a test calls the code under test ({@code workshop-test-runner},
     * {@code workshop-background-…}): never a leak of the code under test, but shown when something is stuck.
     */
    private static final Pattern HARNESS_THREAD_NAMES = Pattern.compile("workshop-.*");

    /** How many threads a report lists at most; a learner's code may leave a million behind. */
    public static final int LIMIT = 1_000;

    /** Found on first use, not in a static initializer: the probe's lambda needs this class initialized. */
    private static volatile String schedulerPool;

    private LeakDetector() {
    }

    /**
     * The ids of every live thread, to compare against later; except idle workers of the common pool, which may pick
     * up a task later and then block in it: such a worker must count as new.
     */
    public static Set<Long> baseline() {
        return ThreadDumps.take(thread -> !(isCommonPoolWorker(thread) && isIdlePoolWorker(thread)), Integer.MAX_VALUE)
                .threads().stream()
                .map(ThreadSnapshot::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean isCommonPoolWorker(ThreadSnapshot thread) {
        return thread.container().startsWith("ForkJoinPool.commonPool");
    }

    /**
     * The threads alive now that were not in the baseline and are neither the runtime's own nor the test harness's,
     * without waiting (at most {@link #LIMIT} of them, with the count of all).
     */
    public static ThreadDumps.Sample newThreads(Set<Long> baseline) {
        return ThreadDumps.take(thread -> !baseline.contains(thread.id()) && !isRuntimeThread(thread)
                && !isHarnessThread(thread), LIMIT);
    }

    /**
     * The threads alive now that were not in the baseline and are not the runtime's own, the test harness's threads
     * included (they run the code under test for the test): what to show when something is stuck.
     */
    public static ThreadDumps.Sample involvedThreads(Set<Long> baseline) {
        return ThreadDumps.take(thread -> !baseline.contains(thread.id()) && !isRuntimeThread(thread), LIMIT);
    }

    /**
     * The threads started since the baseline that are still alive once the grace period is over; an empty sample
     * as soon as there are none. Blocks the caller for at most about {@code grace}.
     */
    public static ThreadDumps.Sample leakedSince(Set<Long> baseline, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        ThreadDumps.Sample alive = newThreads(baseline);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            alive = newThreads(baseline);
        }
        return alive;
    }

    /** Whether a thread is one the test harness runs the code under test on. */
    static boolean isHarnessThread(ThreadSnapshot thread) {
        return !thread.virtual() && HARNESS_THREAD_NAMES.matcher(thread.name()).matches();
    }

    /** Whether a thread belongs to the runtime, JUnit, Surefire or this library rather than to the code under test. */
    static boolean isRuntimeThread(ThreadSnapshot thread) {
        if (isCommonPoolWorker(thread)) {
            return isIdlePoolWorker(thread); // a busy worker runs somebody's task, which may be the leak
        }
        String pool = schedulerPool();
        if (!thread.virtual() && pool != null
                && (thread.name().startsWith(pool + "-") || thread.container().startsWith(pool + "/"))) {
            return true; // a carrier thread, or the scheduler's delay thread
        }
        return RUNTIME_THREAD_NAMES.matcher(thread.name()).matches();
    }

    private static String schedulerPool() {
        String pool = schedulerPool;
        if (pool == null) {
            pool = virtualThreadSchedulerPoolName();
            schedulerPool = pool;
        }
        return pool;
    }

    /**
     * Frames of a pool worker waiting for work: nothing but the pool's own loop and the parking underneath. The
     * common pool's delay scheduler (JDK 25: it times a {@code StructuredTaskScope}'s timeout, starts on first use
     * and lives for good) waiting for its next deadline counts as idle too.
     */
    private static final List<String> IDLE_WORKER_FRAMES = List.of("java.base/jdk.internal.misc.Unsafe.",
            "java.base/java.util.concurrent.locks.LockSupport.", "java.base/java.util.concurrent.ForkJoinPool.",
            "java.base/java.util.concurrent.DelayScheduler.",
            "java.base/java.util.concurrent.ForkJoinWorkerThread", "java.base/java.lang.Thread.run");

    private static boolean isIdlePoolWorker(ThreadSnapshot thread) {
        return thread.stack().stream().allMatch(frame -> IDLE_WORKER_FRAMES.stream().anyMatch(frame::startsWith));
    }

    /** The name of the ForkJoinPool that carries virtual threads, read off a virtual thread's toString. */
    private static String virtualThreadSchedulerPoolName() {
        String[] seen = new String[1];
        try {
            Thread probe = Thread.ofVirtual().name("workshop-probe").start(() -> seen[0] = Thread.currentThread().toString());
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // VirtualThread[#23,workshop-probe]/runnable@ForkJoinPool-1-worker-1
        Matcher m = Pattern.compile("@(.+)-worker-\\d+").matcher(String.valueOf(seen[0]));
        return m.find() ? m.group(1) : null;
    }
}
