/**
 * Module 05: the patterns of concurrent services (worker pool, bounded fan-out, pipeline, rate limiting,
 * singleflight, publish/subscribe), each built so that it bounds its resources and stops cleanly.
 */
package workshop.patterns;
