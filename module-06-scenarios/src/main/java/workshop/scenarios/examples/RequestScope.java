package workshop.scenarios.examples;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * A request's calls as forks of a scope the request thread owns: the Java reading of Go's handler with
 * {@code context.WithTimeout(r.Context(), budget)}. The calls are plain {@code Callable}s here, and the budget is the
 * scope's own timeout on the real clock; exercise 06.3 builds the scenario's version (four ports, a budget per call
 * on an injected scheduler, required and optional parts), which this example does not show.
 *
 * <p>Run {@link #main} (with {@code --enable-preview}): it prints what a budget and an interrupt do to the forks.
 */
public final class RequestScope {

    private RequestScope() {
    }

    // tag::request-scope[]
    /** The calls that answered within the budget; the others were interrupted and have ended when this returns. */
    static Map<String, String> gather(Map<String, Callable<String>> calls, Duration budget)
            throws InterruptedException {
        Map<String, Subtask<String>> forks = new LinkedHashMap<>();
        try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAll(), // a failure cancels no sibling
                cf -> cf.withTimeout(budget))) {                 // ctx, cancel := WithTimeout(r.Context(), budget)
            calls.forEach((name, call) -> forks.put(name, scope.fork(call))); // go call(ctx, ...), one per call
            try {
                scope.join();           // waits for all; the request thread's interrupt ends the wait (and the forks)
            } catch (StructuredTaskScope.TimeoutException budgetSpent) {
                // the forks still running were interrupted: what they had not answered is left out
            }
        }                               // close(): every fork has ended here, whatever happened above
        Map<String, String> answers = new LinkedHashMap<>();
        forks.forEach((name, fork) -> {
            if (fork.state() == Subtask.State.SUCCESS) {
                answers.put(name, fork.get());
            }
        });
        return answers;
    }
    // end::request-scope[]

    private static final long T0 = System.nanoTime();

    static String log(String event) {
        String line = String.format("%4d ms  %-10s %s", (System.nanoTime() - T0) / 1_000_000,
                Thread.currentThread().isVirtual() ? "fork" : Thread.currentThread().getName(), event);
        System.out.println(line);
        return line;
    }

    /** A call that answers after {@code millis}, or logs that it was interrupted and ends. */
    static Callable<String> call(String name, long millis) {
        return () -> {
            try {
                Thread.sleep(millis);
                log(name + " answered");
                return name + "-ok";
            } catch (InterruptedException e) {
                log(name + " interrupted, ends");
                throw e;
            }
        };
    }

    public static void main(String[] args) throws Exception {
        Map<String, Callable<String>> calls = new LinkedHashMap<>();
        calls.put("inventory", call("inventory", 20));
        calls.put("pricing", call("pricing", 30));
        calls.put("reviews", () -> {
            throw new IllegalStateException("reviews: 503");
        });
        calls.put("recs", call("recs", 5_000));

        log("request 1: budget 200 ms");
        log("request 1 answers " + gather(calls, Duration.ofMillis(200)));

        log("request 2: the client goes away at 100 ms (the request thread is interrupted)");
        Thread request = Thread.ofPlatform().name("request-2").start(() -> {
            try {
                gather(calls, Duration.ofSeconds(10));
                log("request 2 answered (unexpected)");
            } catch (InterruptedException e) {
                log("request 2 throws InterruptedException: no fork left running");
            }
        });
        Thread.sleep(100);
        log("interrupting request-2");
        request.interrupt();
        request.join();
    }
}
