/**
 * The deploy lab: a rolling restart under a constant-rate load, repeated with each safeguard removed in turn, and the
 * failed requests of each run.
 */
package workshop.scenarios.deploy.lab;
