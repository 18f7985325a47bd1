/** The rates service's HTTP client (Go's {@code internal/rates}). */
package workshop.scenarios.exchange.adapter.rates;
