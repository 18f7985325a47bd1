/**
 * The aggregation's use cases and the ports they need, declared here, where they are used (Go: "accept
 * interfaces"). Sees the domain and {@code java.base}, never an adapter.
 */
package workshop.scenarios.aggregation.application;
