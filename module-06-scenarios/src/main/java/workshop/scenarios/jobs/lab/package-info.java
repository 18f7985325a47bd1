/** The job processor's lab: throughput and latency against the worker count and the API's failure rate. */
package workshop.scenarios.jobs.lab;
