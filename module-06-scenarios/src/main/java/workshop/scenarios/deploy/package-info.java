/**
 * Scenario 3, the zero-downtime deploy of a stateful service: an HTTP service whose in-memory cache takes seconds to
 * warm, with liveness and readiness, a SIGTERM that drains, and a rolling restart through a front that routes only to
 * ready instances. {@code Main} is the service's composition root (Go's {@code cmd/catalog}).
 */
package workshop.scenarios.deploy;
