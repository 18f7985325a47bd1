/** The server adapter: {@code /live}, {@code /ready} and {@code GET /items/{id}} over HTTP on loopback. */
package workshop.scenarios.deploy.adapter.web;
