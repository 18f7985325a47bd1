/**
 * The job processor's use cases and the ports they need, declared here, where they are used (Go: "accept
 * interfaces"): the durable queue ({@link workshop.scenarios.jobs.application.JobQueue}) and the external API
 * ({@link workshop.scenarios.jobs.application.ExternalApi}). Sees the domain and {@code java.base}, never an adapter.
 */
package workshop.scenarios.jobs.application;
