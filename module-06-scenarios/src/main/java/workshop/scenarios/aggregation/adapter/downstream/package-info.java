/** The downstream adapters: the application's ports over HTTP, with {@code java.net.http.HttpClient} and JSON. */
package workshop.scenarios.aggregation.adapter.downstream;
