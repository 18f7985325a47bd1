/**
 * The deployable service's adapters: each implements a port of the application with real I/O, depends inward
 * (application and domain), and never on another adapter. {@code Main} wires them.
 */
package workshop.scenarios.deploy.adapter;
