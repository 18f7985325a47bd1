/**
 * The job processor's metrics, in Micrometer with its Prometheus registry: decorators of the ports that count and
 * time what passes through them, gauges of the queue's depth and the jobs in flight, and the loopback endpoint that
 * serves {@code GET /metrics} in Prometheus' text format.
 */
package workshop.scenarios.jobs.adapter.metrics;
