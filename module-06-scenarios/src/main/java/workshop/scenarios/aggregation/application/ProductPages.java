package workshop.scenarios.aggregation.application;

import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.ProductId;

/** The use case as its callers (the server adapter) see it: the inbound port. */
@FunctionalInterface
public interface ProductPages {

    /**
     * Decides what to answer for a product: a page, maybe degraded, or a failure. Returns within the request's budget
     * (plus scheduling slack) whatever the downstreams do, and leaves no call running when it returns or throws.
     *
     * @throws InterruptedException if the calling thread is interrupted (the client went away): every downstream call
     *                              still running is interrupted and has ended when this method throws
     */
    PageDecision load(ProductId id) throws InterruptedException;
}
