/**
 * The service's use cases and the ports they need: the warm cache over a slow source, the shutdown sequence, the
 * rolling restart. Sees the domain and {@code java.base}, never an adapter.
 */
package workshop.scenarios.deploy.application;
