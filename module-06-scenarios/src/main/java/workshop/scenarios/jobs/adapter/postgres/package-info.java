/**
 * The shared queue adapter: the application's {@code JobQueue} port in PostgreSQL, through JDBC, for processors in
 * many processes that lease from one table with {@code FOR UPDATE SKIP LOCKED} (exercise 06.17).
 */
package workshop.scenarios.jobs.adapter.postgres;
