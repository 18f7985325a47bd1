/**
 * Module 06: three small real services, each laid out by domain (P-01): a {@code domain} package of records and
 * policies (java.base only), an {@code application} package of use cases and the ports they need, {@code adapter}
 * packages that implement the ports with real I/O, and one {@code Main} that wires them, as Go's {@code cmd/}.
 */
package workshop.scenarios;
