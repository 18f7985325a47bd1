package workshop.channels;

import workshop.support.testing.Background;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.isParked;

/**
 * Tells "the call still waits for a thread that has not ended" from "the call has not yet noticed that the thread it
 * waits for has ended", without waiting for a while and hoping: a thread that joins another is parked on something
 * of that thread's (a virtual thread's termination latch, a platform thread's monitor), and the JVM names it.
 */
final class Joins {

    private Joins() {
    }

    /** What {@code thread} is parked on (a lock, a latch, a monitor), as the JVM names it; null if nothing. */
    static String waitingOn(Thread thread) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId());
        LockInfo lock = info == null ? null : info.getLockInfo();
        return lock == null ? null : lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }

    /**
     * Starts a thread of the test's own that joins {@code target} (which must still be alive) and waits until it is
     * parked; {@link #waitingOn} of it is then what a join of {@code target} parks on. It ends when the target does.
     */
    static Background<Void> joining(Thread target, String id, String targetName) {
        Background<Void> probe = Background.run("[" + id + "] the test, joining " + targetName, target::join);
        await("[" + id + "] the test's own join of " + targetName + " to wait").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(2)).until(() -> isParked(probe.thread()));
        return probe;
    }

    /**
     * Whether {@code call} has settled: it returned, or it is parked on something other than the joins of the threads
     * that have ended ({@code endedJoins}: {@link #waitingOn} of their probes), so it waits for something else.
     */
    static boolean settled(Background<?> call, Set<String> endedJoins) {
        return call.isDone() || isParked(call.thread()) && !endedJoins.contains(waitingOn(call.thread()));
    }

    /** {@link #waitingOn} of a probe made by {@link #joining}. */
    static String joinOf(Background<Void> probe) {
        return Objects.requireNonNull(waitingOn(probe.thread()), "a join that parks on nothing");
    }
}
