package workshop.scenarios.aggregation.application;

import workshop.scenarios.aggregation.domain.Stock;
import workshop.scenarios.aggregation.domain.ProductId;

/** The inventory downstream, as the use case needs it. An adapter implements it; {@code Main} picks which. */
@FunctionalInterface
public interface InventoryPort {

    /**
     * Asks the downstream about one product. Blocks until it answers, fails, or its own time-out passes.
     *
     * @throws DownstreamException  if it knows no such product ({@link DownstreamException.Kind#NOT_FOUND}), failed,
     *                              timed out or was not called (an open breaker)
     * @throws InterruptedException if the calling thread is interrupted while it waits: the call is abandoned, and
     *                              nothing of it runs on after this method has thrown
     */
    Stock stock(ProductId id) throws DownstreamException, InterruptedException;
}
