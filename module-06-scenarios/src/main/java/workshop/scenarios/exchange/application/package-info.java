/**
 * The price converter's use case and the ports it needs, declared here, where they are used. Sees the domain and
 * {@code java.base}, never an adapter.
 */
package workshop.scenarios.exchange.application;
