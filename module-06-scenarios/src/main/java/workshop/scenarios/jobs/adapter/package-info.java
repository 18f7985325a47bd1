/**
 * The job processor's adapters, one outside world each: the external API over HTTP ({@code api}), the durable queue
 * in an embedded database ({@code sqlite}) or in PostgreSQL ({@code postgres}), and the metrics ({@code metrics}).
 * Only {@code Main} creates them; none knows another.
 */
package workshop.scenarios.jobs.adapter;
