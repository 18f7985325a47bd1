/**
 * Scenario 2, the bounded job processor: jobs arrive in bursts in a durable queue, a fixed pool of workers calls an
 * external API that allows a limited number of concurrent calls, and each result is written back, at least once and
 * counted once. {@code Main} is the composition root (Go's {@code cmd/jobs}): the only class that knows every adapter.
 */
package workshop.scenarios.jobs;
