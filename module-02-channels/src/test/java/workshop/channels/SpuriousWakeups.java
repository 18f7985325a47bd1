package workshop.channels;

import workshop.support.testing.Background;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;

/**
 * Spurious wake-ups on demand: {@link LockSupport#park()} may return "for no reason at all" (its javadoc), and a
 * {@link LockSupport#unpark} from the test makes it do so. A waiter that parks once, inside an {@code if}, then
 * returns as if it had been completed; one that parks in a loop goes back to waiting.
 */
final class SpuriousWakeups {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SpuriousWakeups() {
    }

    /**
     * Wakes {@code call}'s thread (a platform thread, parked in the learner's code) three times, each time waiting
     * until the thread has run since (its CPU time grew) and has parked again; fails, saying so, if it returns.
     */
    static void wake(Background<?> call, String id, String what) {
        String whyItShouldWait = what + " returned after a spurious wake-up (LockSupport.unpark, with no counterpart "
                + "and no interrupt): a woken waiter must check whether it was completed, and park again if not: "
                + "wait in a loop, never with a single if";
        for (int i = 0; i < 3; i++) {
            long before = cpuNanos(call.thread());
            LockSupport.unpark(call.thread());
            await("[" + id + "] " + what + " to run after the wake-up").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> call.isDone() || before < 0 || cpuNanos(call.thread()) > before);
            awaitWaiting(call, id, whyItShouldWait);
        }
    }

    /** The thread's CPU time so far, or -1 if the JVM cannot tell. */
    private static long cpuNanos(Thread thread) {
        if (!THREADS.isThreadCpuTimeSupported() || thread.isVirtual()) {
            return -1;
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        return THREADS.getThreadCpuTime(thread.threadId());
    }
}
