/**
 * Scenario 0, the price converter of exercise 06.1: converts a list price into another currency with a rate from a
 * rates service over HTTP. Small on purpose: it is where the layout rules (P-01) are learned.
 * {@link workshop.scenarios.exchange.Main} is its composition root (Go's {@code cmd/exchange}).
 */
package workshop.scenarios.exchange;
