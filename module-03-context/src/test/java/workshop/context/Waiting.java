package workshop.context;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.Collection;

import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;

/**
 * The strict form of {@link workshop.support.testing.Parked#awaitParked}: a thread in an untimed wait must be
 * {@code WAITING}. {@code TIMED_WAITING} there means a sleep or a timed wait in a loop (polling), {@code RUNNABLE}
 * means spinning; a check that accepts any parked state lets both pass. A correct untimed wait is never seen
 * {@code TIMED_WAITING}, so a thread seen in that state again and again fails at once, without waiting for the
 * deadline.
 */
final class Waiting {

    /** How many observations in {@code TIMED_WAITING} (2 ms apart) prove polling. */
    private static final int POLLING_EVIDENCE = 25;

    private Waiting() {
    }

    /**
     * Waits until {@code call} is {@code WAITING}. Fails at once if it returned or threw ({@code whyItShouldWait} says
     * why it should have waited), as soon as it has been seen polling, and after
     * {@link workshop.support.testing.Parked#PATIENCE} with the state it was in.
     */
    static void awaitWaiting(Background<?> call, String id, String whyItShouldWait, String howToWait) {
        awaitAllWaiting(java.util.List.of(call.thread()), id, whyItShouldWait, howToWait, call);
    }

    /**
     * Waits until every thread of {@code threads} is {@code WAITING}; {@code call}, if not null, is the call that
     * should be waiting (it must not return meanwhile). {@code howToWait} ends the failure message: what to wait on.
     */
    static void awaitAllWaiting(Collection<Thread> threads, String id, String whyItShouldWait, String howToWait,
                                Background<?> call) {
        int[] timed = {0};
        String[] seen = {"not looked at yet"};
        try {
            await("[" + id + "] " + threads.size() + " thread(s) to wait (WAITING)").atMost(PATIENCE)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).pollInSameThread()
                    .until(() -> {
                        if (call != null) {
                            call.rethrowIfFailed(); // the learner's exception is the failure to show
                            if (call.isDone()) {
                                throw new AssertionError("[" + id + "] " + whyItShouldWait + " (README " + id + ")");
                            }
                        }
                        long waiting = 0;
                        boolean anyTimed = false;
                        StringBuilder states = new StringBuilder();
                        for (Thread thread : threads) {
                            Thread.State state = thread.getState();
                            waiting += state == Thread.State.WAITING ? 1 : 0;
                            anyTimed |= state == Thread.State.TIMED_WAITING;
                            if (states.length() < 200) {
                                states.append(states.isEmpty() ? "" : ", ").append(state);
                            }
                        }
                        seen[0] = threads.size() == 1 ? states.toString()
                                : waiting + " of " + threads.size() + " WAITING (" + states + ")";
                        if (anyTimed && ++timed[0] >= POLLING_EVIDENCE) {
                            throw new AssertionError(message(id, seen[0], howToWait));
                        }
                        return waiting == threads.size();
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(message(id, seen[0], howToWait), e);
        }
    }

    private static String message(String id, String seen, String howToWait) {
        return "[" + id + "] a thread in an untimed wait should park until it is woken (WAITING), but it was " + seen
               + ": TIMED_WAITING means it sleeps or waits with a time-out in a loop (polling), RUNNABLE that it "
               + "spins. " + howToWait + " (README " + id + ")";
    }
}
