/** The external API over HTTP: one shared {@code HttpClient}, a time-out on every call. */
package workshop.scenarios.jobs.adapter.api;
