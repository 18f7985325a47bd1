package workshop.support.testing;

import workshop.support.threads.StuckThreads;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;

/** Waits until a call on a background thread is parked in the learner's code, and says so if it returned or spins. */
public final class Parked {

    public static final Duration PATIENCE = Patience.seconds(5);

    /** How often an untimed wait may be seen TIMED_WAITING (about every 2 ms) before it counts as polling. */
    private static final int TIMED_WAITING_SIGHTINGS = 100;

    private static final Duration POLL = Duration.ofMillis(2);

    private Parked() {
    }

    /**
     * Waits until {@code call} is parked (WAITING or TIMED_WAITING). Fails at once if it returned or threw: then it
     * did not wait although it should have, and {@code whyItShouldWait} says why it should have; {@code id} is the
     * exercise.
     */
    public static void awaitParked(Background<?> call, String id, String whyItShouldWait) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!isParked(call.thread())) {
            failIfReturned(call, id, whyItShouldWait);
            if (System.nanoTime() > deadline) {
                throw new AssertionError(String.format("[%s] a waiting thread should park (WAITING), not spin: it was "
                        + "%s (README %s). %s", id, call.thread().getState(), id,
                        StuckThreads.report(call.thread().threadId())));
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        failIfReturned(call, id, whyItShouldWait);
    }

    /**
     * Waits until {@code call} is parked without a time-out (WAITING), as an untimed wait must be: a call that sleeps
     * in a loop (TIMED_WAITING in {@code Thread.sleep}) or spins (RUNNABLE) fails, saying which. Fails at once if the
     * call returned or threw: {@code whyItShouldWait} says why it should have waited; {@code id} is the exercise.
     */
    public static void awaitWaiting(Background<?> call, String id, String whyItShouldWait) {
        // A thread that waits with no time-out is never TIMED_WAITING, so many sightings of it end the wait early: a
        // sleep-poller fails in a fraction of a second instead of after the whole patience.
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int timedWaitingSeen = 0;
        while (true) {
            failIfReturned(call, id, whyItShouldWait);
            Thread.State state = call.thread().getState();
            if (state == Thread.State.WAITING) {
                return;
            }
            timedWaitingSeen += state == Thread.State.TIMED_WAITING ? 1 : 0;
            if (timedWaitingSeen >= TIMED_WAITING_SIGHTINGS || System.nanoTime() > deadline) {
                throw new AssertionError(String.format("[%s] a thread that waits with no time-out should park until it "
                        + "is signalled (WAITING): it was %s%s (README %s). %s", id, state,
                        timedWaitingSeen > 0 ? ", a timed wait: sleeping or polling in a loop?"
                                : state == Thread.State.RUNNABLE ? ", running: spinning in a loop?" : "", id,
                        StuckThreads.report(call.thread().threadId())));
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** A call that should wait but returned or threw: the learner's exception, or why it should have waited. */
    private static void failIfReturned(Background<?> call, String id, String whyItShouldWait) {
        call.rethrowIfFailed(); // the learner's exception is the failure to show
        if (call.isDone()) {
            throw new AssertionError("[" + id + "] " + whyItShouldWait + " (README " + id + ")");
        }
    }

    /**
     * Waits for {@code call} to finish and returns its result; fails at once with the exception of any of
     * {@code others} that throws meanwhile (a counterpart that failed would otherwise leave {@code call} waiting).
     * If it does not finish in time, the failure says {@code whyItShouldFinish}; {@code id} is the exercise.
     */
    public static <T> T awaitWatching(String id, String whyItShouldFinish, Background<T> call, Background<?>... others)
            throws InterruptedException {
        String alias = "[" + id + "] " + whyItShouldFinish + " (README " + id + ")";
        await(alias).atMost(PATIENCE).pollInterval(Duration.ofMillis(2)).until(() -> {
            for (Background<?> other : others) {
                other.rethrowIfFailed();
            }
            call.rethrowIfFailed();
            return call.isDone();
        });
        return call.await(PATIENCE);
    }

    /**
     * Rethrows the first failure among tasks that have finished (a learner's exception, such as "not solved yet", is
     * the failure to show, not the counts it spoiled).
     */
    public static void rethrowFailures(List<? extends Future<?>> tasks) {
        for (Future<?> task : tasks) {
            if (task.state() == Future.State.FAILED) {
                Throwable failure = task.exceptionNow();
                if (failure instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (failure instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(failure);
            }
        }
    }

    /** Whether {@code thread} is parked: WAITING or TIMED_WAITING. */
    public static boolean isParked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /** Interrupts the calls that are still running and waits for their threads: a test's cleanup. */
    public static void stop(Background<?>... calls) throws InterruptedException {
        for (Background<?> call : calls) {
            if (call != null) {
                call.thread().interrupt();
            }
        }
        for (Background<?> call : calls) {
            if (call != null) {
                call.join(PATIENCE);
            }
        }
    }
}
