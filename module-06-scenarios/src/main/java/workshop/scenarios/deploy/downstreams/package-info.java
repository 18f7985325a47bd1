/**
 * What stands around the service on a platform, simulated on one machine for the tests and the lab: a front that
 * routes requests only to ready instances, as a Kubernetes Service's endpoints do.
 */
package workshop.scenarios.deploy.downstreams;
