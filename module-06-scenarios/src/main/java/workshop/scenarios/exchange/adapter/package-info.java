/**
 * The price converter's adapters: each implements a port of the application with real I/O, depends inward, and
 * never on another adapter. {@code Main} wires them.
 */
package workshop.scenarios.exchange.adapter;
