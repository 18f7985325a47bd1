/** The deployable service's values and rules, on {@code java.base} only: its contract and its timings. */
package workshop.scenarios.deploy.domain;
