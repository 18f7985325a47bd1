package workshop.scenarios.aggregation.application;

import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Exercise 06.7: A breaker per downstream
 *
 * <p>Fail fast while a downstream is down: each port is wrapped in a decorator that calls it through a
 * {@link CircuitBreaker} of its own downstream, so that a dead reviews service costs no time and no thread per
 * request while inventory, with a breaker of its own, keeps being called. In Go, one {@code gobreaker} per
 * downstream, around the client's call:
 *
 * <pre>{@code
 * reviewsCB := gobreaker.NewCircuitBreaker[*Reviews](gobreaker.Settings{
 *     Name: "reviews", Timeout: 30 * time.Second,
 *     ReadyToTrip:  func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 5 },
 *     IsSuccessful: func(err error) bool { return err == nil || errors.Is(err, ErrNotFound) },
 * })
 * r, err := reviewsCB.Execute(func() (*Reviews, error) { return reviewsClient.Get(ctx, id) })
 * if errors.Is(err, gobreaker.ErrOpenState) { ... } // not called
 * }</pre>
 *
 * <p>The decorators: a call while its downstream's breaker is open (or half-open with its trial in flight) throws
 * {@link DownstreamException} of kind {@link DownstreamException.Kind#REJECTED} at once, and the port is not called.
 * Failures of the downstream ({@code FAILED}, {@code TIMED_OUT}) count toward opening its breaker; an answer does
 * not ({@code NOT_FOUND}: the downstream works, it knows no such product). An {@link InterruptedException} is no
 * outcome at all: it propagates unchanged and counts neither way. Every other outcome is passed on as the port gave
 * it. After the cool-down, on the clock given here, one trial call goes through.
 *
 * <p>Thread safety: the decorators may be called from any number of threads at once.
 */
public final class Breakers {

    /**
     * A closed breaker for each downstream.
     *
     * @param failureThreshold the consecutive failures of one downstream that open its breaker: at least 1
     * @param coolDown         how long an open breaker rejects calls before it lets one trial through: positive
     * @param nanoTime         the time source, in nanoseconds as {@link System#nanoTime()}
     */
    public Breakers(int failureThreshold, Duration coolDown, LongSupplier nanoTime) {
        Objects.requireNonNull(coolDown, "coolDown");
        Objects.requireNonNull(nanoTime, "nanoTime");
        // TODO 06.7: the breakers (CircuitBreaker is given): how many, and which exceptions are failures for them?
    }

    /** The inventory port behind the inventory's breaker. */
    public InventoryPort inventory(InventoryPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.7: a decorator that calls port through the inventory's breaker: what does a rejected call throw?
        throw new NotSolvedYet("06.7");
    }

    /** The pricing port behind the pricing's breaker. */
    public PricingPort pricing(PricingPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.7: as inventory(), with the pricing's breaker
        throw new NotSolvedYet("06.7");
    }

    /** The reviews port behind the reviews' breaker. */
    public ReviewsPort reviews(ReviewsPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.7: as inventory(), with the reviews' breaker
        throw new NotSolvedYet("06.7");
    }

    /** The recommendations port behind the recommendations' breaker. */
    public RecommendationsPort recommendations(RecommendationsPort port) {
        Objects.requireNonNull(port, "port");
        // TODO 06.7: as inventory(), with the recommendations' breaker
        throw new NotSolvedYet("06.7");
    }
}
