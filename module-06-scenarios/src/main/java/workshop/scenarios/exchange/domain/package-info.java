/**
 * The price converter's domain: money, rates and the arithmetic of a conversion. Records and rules only: no I/O,
 * no clock reads, no threads, nothing outside {@code java.base}.
 */
package workshop.scenarios.exchange.domain;
