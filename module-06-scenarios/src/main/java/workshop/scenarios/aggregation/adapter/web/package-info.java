/** The server adapter: {@code GET /products/{id}} and {@code /metrics} over HTTP on loopback. */
package workshop.scenarios.aggregation.adapter.web;
