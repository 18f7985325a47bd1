package workshop.scenarios.aggregation.application;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A circuit breaker, given (not an exercise): module 05's reference (exercise 05.7) adapted to the service, copied so
 * that this module does not depend on module 05. Two changes: the time source is a nanosecond {@link LongSupplier}
 * (the tests inject a fake one, {@code Main} passes {@code System::nanoTime}), and the breaker asks a predicate which
 * exceptions are failures of the downstream: an exception that is not (an answer such as "no such product") counts
 * as a success, because the downstream did answer.
 *
 * <p>The states: {@link State#CLOSED} lets every call through and counts consecutive failures (a success resets the
 * count); {@link State#OPEN} rejects every call with {@link OpenException} until {@code coolDown} has passed on the
 * clock since it opened; then the next call turns it {@link State#HALF_OPEN} and is its one trial call, while every
 * other call is rejected. The trial's success closes the breaker, its failure opens it again for a fresh cool-down.
 * Go has no breaker in its standard library; {@code sony/gobreaker} is the usual one, and its
 * {@code Settings.IsSuccessful} plays the part of the predicate here.
 *
 * <p>Memory consistency effects: a call's outcome is recorded before {@link #call} returns or throws, and the
 * transition it causes happens-before any later call sees the new state.
 */
public final class CircuitBreaker {

    /** The three states of a breaker. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Thrown by {@link #call} when the breaker does not let a call through: the call was not made. */
    public static final class OpenException extends RuntimeException {
        OpenException(String message) {
            super(message);
        }
    }

    /** What {@link #admit} grants: the state's generation the call belongs to, and whether it is the trial. */
    private record Permit(long generation, boolean trial) {
    }

    private final int failureThreshold;
    private final long coolDownNanos;
    private final LongSupplier nanoTime;
    private final Predicate<? super Exception> isFailure;
    // Guarded by this. The generation changes with every transition: an outcome of a call let through in an earlier
    // state (a slow call from before the breaker opened) changes nothing.
    private State state = State.CLOSED;
    private long generation;
    private int consecutiveFailures;
    private long openedAt;
    private boolean trialInFlight;

    /**
     * A closed breaker.
     *
     * @param failureThreshold the consecutive failures, in the closed state, that open the breaker: at least 1
     * @param coolDown         how long the breaker stays open before it lets a trial call through: positive
     * @param nanoTime         the time source, in nanoseconds as {@link System#nanoTime()}: the breaker reads the time
     *                         through it only
     * @param isFailure        whether an exception a call threw is a failure of the downstream; one that is not counts
     *                         as a success ({@link InterruptedException} is never asked about: it is neither)
     */
    public CircuitBreaker(int failureThreshold, Duration coolDown, LongSupplier nanoTime,
                          Predicate<? super Exception> isFailure) {
        if (failureThreshold < 1 || !coolDown.isPositive()) {
            throw new IllegalArgumentException("threshold and cool-down must be positive: " + failureThreshold
                    + ", " + coolDown);
        }
        this.failureThreshold = failureThreshold;
        this.coolDownNanos = coolDown.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.isFailure = Objects.requireNonNull(isFailure, "isFailure");
    }

    /** A closed breaker for which every exception but {@link InterruptedException} is a failure. */
    public CircuitBreaker(int failureThreshold, Duration coolDown, LongSupplier nanoTime) {
        this(failureThreshold, coolDown, nanoTime, e -> true);
    }

    /**
     * Makes {@code call} on the caller's thread if the breaker lets it through, and returns its value or throws what
     * it threw, unchanged. Never waits: a call that is not let through is rejected at once.
     *
     * <p>Outcomes: a value is a success; so is an exception for which {@code isFailure} says no. Any other exception
     * is a failure, except {@link InterruptedException}: the caller was interrupted, which says nothing about the
     * downstream, so it is no failure and no success (an interrupted trial leaves the breaker half-open for the next
     * call to try), and it is rethrown as it is, the interrupt status untouched.
     *
     * @throws OpenException        if the breaker is open, or half-open with a trial in flight: {@code call} was not
     *                              made
     * @throws InterruptedException if {@code call} threw it
     * @throws Exception            what {@code call} threw
     */
    public <T> T call(Callable<T> call) throws Exception {
        Permit permit = admit();
        T value;
        try {
            value = call.call();
        } catch (InterruptedException e) {
            abandoned(permit);
            throw e;
        } catch (Exception e) {
            if (isFailure.test(e)) {
                failed(permit);
            } else {
                succeeded(permit);
            }
            throw e;
        } catch (Throwable failure) {
            failed(permit);
            throw failure;
        }
        succeeded(permit);
        return value;
    }

    /** The state now, for metrics and logs (a call may change it at once). */
    public synchronized State state() {
        return state;
    }

    private synchronized Permit admit() {
        switch (state) {
            case CLOSED -> {
                return new Permit(generation, false);
            }
            case OPEN -> {
                if (nanoTime.getAsLong() - openedAt < coolDownNanos) {
                    throw new OpenException("the circuit is open: calls fail fast until the cool-down is over");
                }
                moveTo(State.HALF_OPEN);
            }
            case HALF_OPEN -> {
                if (trialInFlight) {
                    throw new OpenException("the circuit is half-open and its trial call is in flight");
                }
            }
        }
        trialInFlight = true; // check and act in one step, under the lock: one trial at a time
        return new Permit(generation, true);
    }

    private synchronized void succeeded(Permit permit) {
        if (permit.generation() != generation) {
            return;
        }
        consecutiveFailures = 0;
        if (permit.trial()) {
            trialInFlight = false;
            moveTo(State.CLOSED);
        }
    }

    private synchronized void failed(Permit permit) {
        if (permit.generation() != generation) {
            return;
        }
        if (permit.trial()) {
            trialInFlight = false;
            open();
        } else if (++consecutiveFailures >= failureThreshold) {
            open();
        }
    }

    private synchronized void abandoned(Permit permit) {
        if (permit.generation() == generation && permit.trial()) {
            trialInFlight = false; // no verdict: the next call is the trial
        }
    }

    private void open() {
        openedAt = nanoTime.getAsLong(); // a fresh cool-down
        consecutiveFailures = 0;
        moveTo(State.OPEN);
    }

    private void moveTo(State next) {
        state = next;
        generation++;
    }
}
