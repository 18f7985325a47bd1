/** Metrics in Prometheus text format (Micrometer), taken by decorating the application's ports. */
package workshop.scenarios.aggregation.adapter.metrics;
