/**
 * The four downstream services, simulated: real HTTP servers on loopback with configurable latency distributions and
 * failure rates. Not part of the service: {@code Main} starts them in demo mode, the lab and the tests use them.
 */
package workshop.scenarios.aggregation.downstreams;
