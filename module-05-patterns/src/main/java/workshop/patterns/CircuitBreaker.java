package workshop.patterns;

import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Exercise 05.7: A circuit breaker
 *
 * <p>Fail fast while a downstream is down: after {@code failureThreshold} consecutive failures the breaker opens and
 * rejects calls without making them; after a cool-down on the injected clock it lets one trial call through, whose
 * outcome closes it again or reopens it. Go has no breaker in its standard library; {@code sony/gobreaker} is the
 * usual one:
 *
 * <pre>{@code
 * cb := gobreaker.NewCircuitBreaker(gobreaker.Settings{
 *     MaxRequests: 1,                // calls let through while half-open
 *     Timeout:     30 * time.Second, // the cool-down: open -> half-open
 *     ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 3 },
 *     OnStateChange: func(name string, from, to gobreaker.State) { log.Println(from, "->", to) },
 * })
 * body, err := cb.Execute(func() (any, error) { return fetch(url) }) // gobreaker.ErrOpenState while open
 * }</pre>
 *
 * <p>The states: {@link State#CLOSED} lets every call through and counts consecutive failures (a success resets the
 * count); {@link State#OPEN} rejects every call with {@link CircuitOpenException} until {@code coolDown} has passed
 * on the clock since it opened; then the next call turns it {@link State#HALF_OPEN} and is its one trial call, while
 * every other call is rejected. The trial's success closes the breaker (the count starts again from zero), its failure
 * opens it again for a fresh cool-down.
 *
 * <p>Memory consistency effects: a call's outcome is recorded before {@link #call} returns or throws, and the
 * transition it causes happens-before any later call sees the new state.
 */
public final class CircuitBreaker {

    /** The three states of a breaker. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Told of every change of state, as gobreaker's {@code OnStateChange}. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called once per transition, on the thread that causes it, in the order of the transitions; it may be called
         * while the breaker holds a lock, so it must be quick and must not call the breaker.
         */
        void onStateChange(State from, State to);
    }

    private final CircuitBreakerClock clock;
    private final Listener listener;

    /**
     * A closed breaker.
     *
     * @param failureThreshold the consecutive failures, in the closed state, that open the breaker: at least 1
     * @param coolDown         how long the breaker stays open before it lets a trial call through: positive
     * @param clock            the time source: the breaker reads the time through it only
     * @param listener         told of every change of state
     */
    public CircuitBreaker(int failureThreshold, Duration coolDown, CircuitBreakerClock clock, Listener listener) {
        if (failureThreshold < 1 || !coolDown.isPositive()) {
            throw new IllegalArgumentException("threshold and cool-down must be positive: " + failureThreshold
                    + ", " + coolDown);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        // TODO 05.7: what must the breaker remember between calls to know whether to let the next one through?
    }

    /** A closed breaker that tells no one of its changes of state. */
    public CircuitBreaker(int failureThreshold, Duration coolDown, CircuitBreakerClock clock) {
        this(failureThreshold, coolDown, clock, (from, to) -> { });
    }

    /**
     * Makes {@code call} on the caller's thread if the breaker lets it through, and returns its value or throws what
     * it threw, unchanged. A call that is let through while the breaker is open (its cool-down over) or half-open
     * with no trial in flight is the trial call. Never waits: a call that is not let through is rejected at once.
     *
     * <p>Outcomes: a value is a success. Anything the call throws is a failure, except {@link InterruptedException}:
     * the caller was interrupted, which says nothing about the downstream, so it is no failure and no success (the
     * count stays as it was; an interrupted trial leaves the breaker half-open for the next call to try), and it is
     * rethrown as it is, the interrupt status untouched.
     *
     * @throws CircuitOpenException if the breaker is open, or half-open with a trial in flight: {@code call} was not
     *                              made
     * @throws InterruptedException if {@code call} threw it
     * @throws Exception            what {@code call} threw
     */
    public <T> T call(Callable<T> call) throws Exception {
        // TODO 05.7: decide whether to let the call through and record its outcome; the decision and the state change
        //  it implies must be one atomic step, or two callers can both take the one trial
        throw new NotSolvedYet("05.7");
    }
}
