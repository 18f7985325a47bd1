package workshop.patterns.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code defer} next to Java's try-with-resources and {@code finally}: the order of closing, what happens when
 * a close throws, what a {@code finally} that returns does to an exception, and what a lambda captures.
 */
public final class Deferred {

    private Deferred() {
    }

    // tag::resource[]
    /** A resource that says when it closes, and can fail to. */
    record Handle(String name, boolean failOnClose) implements AutoCloseable {
        static Handle open(String name, boolean failOnClose) {
            System.out.println("open " + name);
            return new Handle(name, failOnClose);
        }

        @Override
        public void close() {
            System.out.println("close " + name);
            if (failOnClose) {
                throw new IllegalStateException("closing " + name + " failed");
            }
        }
    }
    // end::resource[]

    // tag::twr[]
    static void copy() {
        try (Handle in = Handle.open("in", false);                 // in := open(...); defer in.Close()
             Handle out = Handle.open("out", true)) {              // out := open(...); defer out.Close()
            System.out.println("copy " + in.name() + " to " + out.name());
            throw new IllegalStateException("copy failed");        // the primary exception
        } catch (IllegalStateException e) {                        // runs after both closes
            System.out.println("caught " + e.getMessage() + ", suppressed: " + e.getSuppressed()[0].getMessage());
        } finally {
            System.out.println("finally");                         // after the catch
        }
    }
    // end::twr[]

    // tag::finally-returns[]
    @SuppressWarnings("finally")                                   // javac warns: "finally clause cannot complete
    static String finallyReturns() {                               // normally"
        try {
            throw new IllegalStateException("lost");
        } finally {
            return "the exception is gone";                        // discards the exception in flight
        }
    }
    // end::finally-returns[]

    // tag::capture[]
    static void capture() {
        List<String> seen = new ArrayList<>(List.of("a"));
        int count = seen.size();                                   // a value, copied now
        Runnable later = () -> System.out.println("count " + count + ", seen " + seen);
        seen.add("b");                                             // the list is shared, the int is not
        // count++;                                                // does not compile: captured locals are final
        later.run();                                               // count 1, seen [a, b]
    }
    // end::capture[]

    public static void main(String[] args) {
        copy();
        System.out.println(finallyReturns());
        capture();
    }
}
