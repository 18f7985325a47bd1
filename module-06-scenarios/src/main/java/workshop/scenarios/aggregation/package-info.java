/**
 * Scenario 1, the aggregation API: {@code GET /products/{id}} calls four downstreams at once and answers within a
 * budget, with partial results when an optional downstream fails. {@link workshop.scenarios.aggregation.Main} is the
 * composition root (Go's {@code cmd/aggregation}): the only class that knows every adapter.
 */
package workshop.scenarios.aggregation;
