package workshop.scenarios.aggregation.domain;

import workshop.support.NotSolvedYet;

import java.util.Optional;

/**
 * Exercise 06.2: The degradation policy
 *
 * <p>What to serve when a downstream failed, was late, or knows no such product: a rule of the domain, so it lives in
 * the domain as a pure function of the four outcomes (no I/O, no clock, no thread), tested with a table. Go writes the
 * same rule as a plain function the handler calls after {@code g.Wait()}:
 *
 * <pre>{@code
 * func decide(stock Result[Stock], price Result[Price], rev Result[Reviews], rec Result[Recs]) (Page, error) {
 *     if err := required("inventory", stock.Err); err != nil { return Page{}, err } // 404, 503 or 504
 *     if err := required("pricing", price.Err); err != nil { return Page{}, err }
 *     page := Page{Stock: stock.Val, Price: price.Val}
 *     page.Reviews, page.Omitted = optional("reviews", rev, page.Omitted)  // a 404 is "none", not "degraded"
 *     page.Recs, page.Omitted = optional("recommendations", rec, page.Omitted)
 *     return page, nil
 * }
 * }</pre>
 *
 * <p>The rules, for each part's {@link Outcome}:
 * <ul>
 *   <li>A <em>required</em> part ({@link Part#INVENTORY}, {@link Part#PRICING}) that is not {@link Outcome.Ok} fails
 *       the page: {@link Outcome.NotFound} gives {@link FailureKind#NOT_FOUND} (the product does not exist: an
 *       answer), {@link Outcome.Failed} gives {@link FailureKind#UNAVAILABLE}, {@link Outcome.Late} gives
 *       {@link FailureKind#TIMED_OUT}.</li>
 *   <li>When both required parts are not {@code Ok}, the first in {@link Part} order decides: the inventory. A
 *       product the inventory does not know is not found, even if pricing failed or was late; an inventory that
 *       failed or was late makes the page unavailable or timed out, even if pricing knows no such product.</li>
 *   <li>An <em>optional</em> part ({@link Part#REVIEWS}, {@link Part#RECOMMENDATIONS}) never fails the page.
 *       {@code Ok}: its value is on the page. {@code NotFound}: the page goes without it and is <em>not</em> degraded
 *       (there are none: absence is an answer). {@code Failed} or {@code Late}: the page goes without it and lists
 *       it in {@link ProductPage#omitted()}, so the page is degraded.</li>
 * </ul>
 *
 * <p>A {@link PageDecision.Fail}'s {@code part} is the required part that decided, and its {@code reason} starts with
 * that part's {@link Part#label() label} and says what happened: {@code not found}, {@code failed} followed by the
 * {@link Outcome.Failed#reason() downstream's reason}, or {@code late}; for example
 * {@code "pricing: failed: 503 Service Unavailable"}.
 *
 * <p>The policy holds no state: its methods may be called from any thread, concurrently, and neither blocks.
 */
public final class DegradationPolicy {

    /**
     * What one part's outcome decides on its own: the failure of the page if {@code part} is required and its
     * outcome is not {@link Outcome.Ok}, nothing otherwise (an optional part never fails a page). The use case uses it
     * to stop the other calls as soon as a required part has failed (06.3).
     *
     * @return the {@link PageDecision.Fail} this outcome alone forces, with the kind, part and reason that
     *         {@link #decide} would give it; empty if it forces none
     * @throws NullPointerException if an argument is null
     */
    public Optional<PageDecision.Fail> failure(Part part, Outcome<?> outcome) {
        // TODO 06.2: which parts can fail a page, and what does each kind of outcome become?
        throw new NotSolvedYet("06.2");
    }

    /**
     * Decides what to answer from the four outcomes, by the rules above.
     *
     * @return a {@link PageDecision.Serve} with the required parts' values, each optional part's value when it came,
     *         and the optional parts that failed or were late as the page's omitted set; or the
     *         {@link PageDecision.Fail} of the first required part, in {@link Part} order, that is not {@code Ok}
     * @throws NullPointerException if an argument is null
     */
    public PageDecision decide(ProductId id, Outcome<Stock> stock, Outcome<Price> price, Outcome<ReviewSummary> reviews,
                               Outcome<Recommendations> recommendations) {
        // TODO 06.2: the required parts first, in Part order; then what the page says of each optional one
        throw new NotSolvedYet("06.2");
    }
}
