package workshop.goroutines;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tells a thread that waits for a signal from one that polls. {@code ExecutorService.close()} waits with a time-out
 * of a day (TIMED_WAITING) and {@code Thread.join()} without one (WAITING): both park once and stay parked. A loop
 * around {@code Thread.sleep} or a short timed wait parks again and again. The JVM counts every time a platform
 * thread starts to wait ({@code ThreadInfo.getWaitedCount()}), so the count over a short window, while nothing the
 * thread waits for happens, tells them apart whatever its state says.
 */
final class Polling {

    /** How long to watch: a loop that wakes more often than every 100 ms shows up as 3 or more waits. */
    private static final Duration WINDOW = Duration.ofMillis(300);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Polling() {
    }

    /**
     * Watches {@code thread}, a platform thread that is waiting and has nothing to wake up for during the window,
     * and fails if it wakes up again and again. Blocks the caller for about 300 ms.
     *
     * @param what what the thread is waiting in, for the message, such as {@code "runAll"}
     */
    static void assertWaitsWithoutPolling(Thread thread, String id, String what) {
        long before = waited(thread);
        LockSupport.parkNanos(WINDOW.toNanos()); // a window to watch in, not a wait for something to happen
        long wakeUps = waited(thread) - before;
        assertThat(wakeUps)
                .as("[%s] %s started to wait %d times in %d ms although nothing it waits for happened: it polls "
                    + "(sleeps or waits with a time-out in a loop) instead of waiting once until it is woken "
                    + "(join(), a latch, an executor's close()) (README %s)", id, what, wakeUps, WINDOW.toMillis(), id)
                .isLessThan(3);
    }

    private static long waited(Thread thread) {
        var info = THREADS.getThreadInfo(thread.threadId());
        return info == null ? 0 : info.getWaitedCount();
    }
}
