/**
 * Module 04: Go's garbage collector and memory model, and the JVM's collectors, heap sizing, allocation, leaks and
 * safe publication. Exercises 04.1 to 04.6 and 04.9 are in this package; 04.7 and 04.8 (GC tuning as configuration)
 * are in {@code workshop.gc.tuning}.
 */
package workshop.gc;
