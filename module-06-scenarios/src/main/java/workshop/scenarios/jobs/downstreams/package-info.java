/**
 * The external API the job processor calls, simulated for the demo, the lab and the tests: a real HTTP server on
 * loopback with the seed's latency (50 to 500 ms), a share of failures and a limit of concurrent calls.
 */
package workshop.scenarios.jobs.downstreams;
