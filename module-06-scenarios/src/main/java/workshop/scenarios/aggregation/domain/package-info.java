/**
 * The aggregation's domain: what a product page is made of and what to serve when a part is missing. Records and
 * policies only: no I/O, no clock reads, no thread, nothing outside {@code java.base}.
 */
package workshop.scenarios.aggregation.domain;
