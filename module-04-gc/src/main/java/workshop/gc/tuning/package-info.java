/**
 * Exercises 04.7 and 04.8: GC tuning as configuration. The answer to each is a list of JVM options, not code: the
 * tests start a child JVM with them (the JDK 25 that runs the tests, never the {@code java} on the {@code PATH}),
 * run a workload in it and judge what the child did: its exit code, its GC log and the heap figures it printed.
 */
package workshop.gc.tuning;
