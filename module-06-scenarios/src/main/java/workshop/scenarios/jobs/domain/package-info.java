/** The job processor's values and rules, on {@code java.base} only: jobs, results, the retry schedule. */
package workshop.scenarios.jobs.domain;
