/**
 * The job processor's measurements: throughput and latency against the worker count and the API's failure rate
 * ({@code JobsLab}), and what a commit of the embedded database survives (kill -9), and at what rate.
 */
package workshop.scenarios.jobs.lab;
