package workshop.support.testing;

import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Waits until a call on a background thread is parked in the learner's code, and says so if it returned or spins. */
public final class Parked {

    public static final Duration PATIENCE = Patience.seconds(5);

    private Parked() {
    }

    /**
     * Waits until {@code call} is parked (WAITING or TIMED_WAITING). Fails at once if it returned or threw: then it
     * did not wait although it should have, and {@code whyItShouldWait} says why it should have; {@code id} is the
     * exercise.
     */
    public static void awaitParked(Background<?> call, String id, String whyItShouldWait) {
        awaitWhileRunning(call, id, whyItShouldWait, () -> assertThat(isParked(call.thread()))
                .as("[%s] a waiting thread should park (WAITING), not spin: it was %s (README %s)",
                        id, call.thread().getState(), id)
                .isTrue());
    }

    /**
     * Waits until {@code call} is parked without a time-out (WAITING), as an untimed wait must be: a call that sleeps
     * in a loop (TIMED_WAITING in {@code Thread.sleep}) or spins (RUNNABLE) fails, saying which. Fails at once if the
     * call returned or threw: {@code whyItShouldWait} says why it should have waited; {@code id} is the exercise.
     */
    public static void awaitWaiting(Background<?> call, String id, String whyItShouldWait) {
        awaitWhileRunning(call, id, whyItShouldWait, () -> {
            Thread.State state = call.thread().getState();
            assertThat(state)
                    .as("[%s] a thread that waits with no time-out should park until it is signalled (WAITING): "
                        + "it was %s%s (README %s)", id, state, state == Thread.State.TIMED_WAITING
                            ? ", a timed wait: sleeping or polling in a loop?"
                            : state == Thread.State.RUNNABLE ? ", running: spinning in a loop?" : "", id)
                    .isEqualTo(Thread.State.WAITING);
        });
    }

    /** Waits until {@code parked} holds of a call that is still running; fails at once if it returned or threw. */
    private static void awaitWhileRunning(Background<?> call, String id, String whyItShouldWait,
                                          ThrowingRunnable parked) {
        String returned = "[" + id + "] " + whyItShouldWait + " (README " + id + ")";
        await("the call to park").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast(returned, () -> {
                    call.rethrowIfFailed(); // the learner's exception is the failure to show
                    return call.isDone();
                })
                .untilAsserted(parked);
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
