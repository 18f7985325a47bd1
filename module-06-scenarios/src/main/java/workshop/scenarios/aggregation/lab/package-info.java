/** The load benchmark: an open-model, constant-rate generator against the service and its simulated downstreams. */
package workshop.scenarios.aggregation.lab;
