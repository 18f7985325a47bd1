package workshop.patterns.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * Go's errors as values next to Java's exceptions: context added per layer (a cause, Go's {@code %w}), several
 * failures in one (suppressed exceptions, Go's {@code errors.Join}), what a {@link StructuredTaskScope} joiner keeps
 * when several subtasks fail, and what a stack trace costs.
 */
public final class ErrorChains {

    private ErrorChains() {
    }

    // tag::layers[]
    /** A type callers test for: Go's exported error type, or a sentinel with data. */
    static final class NotFound extends Exception {
        NotFound(String what) {
            super(what + " not found");
        }
    }

    static String readRow(String id) throws NotFound {                 // the storage layer
        throw new NotFound("row " + id);
    }

    static String loadUser(String id) {                                // the service layer adds its context
        try {
            return readRow(id);
        } catch (NotFound e) {
            throw new IllegalStateException("loading user " + id, e);  // fmt.Errorf("loading user %s: %w", id, err)
        }
    }
    // end::layers[]

    // tag::two-failures[]
    static void twoFailures() throws InterruptedException {
        List<Subtask<String>> subtasks = new ArrayList<>();
        try (var scope = StructuredTaskScope.open(Joiner.<String>allSuccessfulOrThrow())) {
            subtasks.add(scope.fork(() -> {
                throw new IOException("inventory down");               // fails first
            }));
            subtasks.add(scope.fork(() -> {
                try {
                    Thread.sleep(10_000);
                    return "pricing";
                } catch (InterruptedException e) {                       // cancelled by the first failure...
                    throw new IllegalStateException("pricing interrupted"); // ...and fails too
                }
            }));
            scope.join();
        } catch (StructuredTaskScope.FailedException e) {
            System.out.println("join threw " + e.getClass().getSimpleName() + ", cause: " + e.getCause()
                    + ", suppressed: " + e.getSuppressed().length);
        }
        for (Subtask<String> subtask : subtasks) {
            System.out.println("  subtask " + subtask.state());
        }
    }
    // end::two-failures[]

    // tag::join-all[]
    static Exception allFailures(List<Subtask<String>> subtasks) {
        Exception all = new Exception("some calls failed");             // errors.Join(errs...)
        for (Subtask<String> subtask : subtasks) {
            if (subtask.state() == Subtask.State.FAILED) {
                all.addSuppressed(subtask.exception());                 // printed as "Suppressed: ..."
            }
        }
        return all;
    }
    // end::join-all[]

    static void awaitAllThenJoin() throws InterruptedException {
        List<Subtask<String>> subtasks = new ArrayList<>();
        try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAll())) {  // never cancels: all complete
            subtasks.add(scope.fork(() -> {
                throw new IOException("inventory down");
            }));
            subtasks.add(scope.fork(() -> {
                throw new UncheckedIOException(new IOException("reviews down"));
            }));
            subtasks.add(scope.fork(() -> "pricing"));
            scope.join();
        }
        Exception all = allFailures(subtasks);
        System.out.println("awaitAll: " + all.getSuppressed().length + " suppressed; printStackTrace:");
        strip(all);                                                     // keep the printout short
        all.printStackTrace(System.out);
    }

    static void strip(Throwable t) {
        t.setStackTrace(new StackTraceElement[0]);
        for (Throwable suppressed : t.getSuppressed()) {
            strip(suppressed);
        }
        if (t.getCause() != null) {
            strip(t.getCause());
        }
    }

    // tag::stackless[]
    /** An exception for control flow or a hot path: no stack trace, no suppression list. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);                         // enableSuppression, writableStackTrace
        }
    }
    // end::stackless[]

    static Throwable atDepth(int depth, boolean stackTrace) {
        if (depth > 0) {
            return atDepth(depth - 1, stackTrace);
        }
        return stackTrace ? new IllegalStateException("x") : new Rejected("x");
    }

    static void stackTraceCost() {
        for (int depth : new int[] {10, 100, 1000}) {
            for (boolean stackTrace : new boolean[] {true, false}) {
                long best = Long.MAX_VALUE;
                for (int round = 0; round < 15; round++) {
                    int n = 20_000;
                    long sink = 0;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        sink += atDepth(depth, stackTrace).hashCode();
                    }
                    best = Math.min(best, (System.nanoTime() - t0) / n);
                    if (sink == 42) {
                        System.out.print("");
                    }
                }
                System.out.printf("depth %4d, %-16s %,7d ns per throwable (best of 15 rounds)%n", depth,
                        stackTrace ? "with a trace:" : "without a trace:", best);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            loadUser("42");
        } catch (IllegalStateException e) {
            System.out.println(e + " <- caused by " + e.getCause());
            System.out.println("is the cause a NotFound? " + (e.getCause() instanceof NotFound));
        }
        twoFailures();
        awaitAllThenJoin();
        if (args.length == 0 || !args[0].equals("--no-timing")) {
            stackTraceCost();
        }
    }
}
