/**
 * The durable queue adapter: the application's {@code JobQueue} port in one SQLite file (WAL), through JDBC, for a
 * processor that runs as one process.
 */
package workshop.scenarios.jobs.adapter.sqlite;
