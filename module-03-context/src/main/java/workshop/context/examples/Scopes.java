package workshop.context.examples;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * {@link StructuredTaskScope} (JDK 25, preview, JEP 505): a scope owns the threads it forks, {@code join} waits for
 * them, a failure or the scope's timeout cancels the rest, and closing the scope waits until every fork has ended.
 */
public final class Scopes {

    private Scopes() {
    }

    record Offer(String stock, String price) {
    }

    // tag::fan-out[]
    static Offer offer(String sku) throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {            // g, ctx := errgroup.WithContext(ctx)
            Subtask<String> stock = scope.fork(() -> stock(sku)); // g.Go(func() error { ... })
            Subtask<String> price = scope.fork(() -> price(sku));
            scope.join(); // g.Wait(): the first failure interrupts the other forks and throws FailedException
            return new Offer(stock.get(), price.get());
        } // close(): every fork has ended by here, whatever happened above
    }
    // end::fan-out[]

    // tag::deadline[]
    static Offer offerWithin(String sku, Duration budget) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAllSuccessfulOrThrow(),
                cf -> cf.withTimeout(budget))) {              // context.WithTimeout(ctx, budget)
            Subtask<String> stock = scope.fork(() -> stock(sku));
            Subtask<String> price = scope.fork(() -> price(sku));
            scope.join(); // the budget runs out first: the forks are interrupted, join throws TimeoutException
            return new Offer(stock.get(), price.get());
        }
    }
    // end::deadline[]

    // tag::any-success[]
    static String fastest(List<Callable<String>> replicas) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<String>anySuccessfulResultOrThrow())) {
            for (Callable<String> replica : replicas) {
                scope.fork(replica);
            }
            return scope.join(); // the first success; the slower replicas are interrupted
        }
    }
    // end::any-success[]

    // tag::partial[]
    static Map<String, String> page(Map<String, Callable<String>> sections, Duration budget)
            throws InterruptedException {
        Map<String, Subtask<String>> forks = new LinkedHashMap<>();
        try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAll(), cf -> cf.withTimeout(budget))) {
            sections.forEach((name, call) -> forks.put(name, scope.fork(call)));
            try {
                scope.join(); // awaitAll: a failed section cancels nothing
            } catch (StructuredTaskScope.TimeoutException late) {
                // the budget ran out: keep what has arrived, the scope interrupts the rest
            }
        }
        Map<String, String> page = new LinkedHashMap<>();
        forks.forEach((name, fork) -> {
            if (fork.state() == Subtask.State.SUCCESS) { // FAILED, or UNAVAILABLE when cut off: left out
                page.put(name, fork.get());
            }
        });
        return page;
    }
    // end::partial[]

    static void notJoined() {
        // tag::not-joined[]
        try (var scope = StructuredTaskScope.open()) {
            scope.fork(() -> stock("sku-1"));
            // forgot scope.join(): close() interrupts and awaits the fork, then throws
        } catch (IllegalStateException e) { // "Owner did not join after forking"
            System.out.println("not joined: " + e.getMessage());
        }
        // end::not-joined[]
    }

    static void wrongThread() throws InterruptedException {
        // tag::wrong-thread[]
        try (var scope = StructuredTaskScope.open()) {
            Subtask<String> outer = scope.fork(() -> {
                return scope.fork(() -> "nested").get(); // WrongThreadException: only the owner forks
            });
            try {
                scope.join();
            } catch (StructuredTaskScope.FailedException e) {
                System.out.println("fork from a fork: " + e.getCause()); // a nested scope is the way
            }
            System.out.println(outer.state()); // FAILED
        }
        // end::wrong-thread[]
    }

    static String stock(String sku) throws InterruptedException {
        Thread.sleep(20);
        return "12 in stock";
    }

    static String price(String sku) throws InterruptedException {
        Thread.sleep(30);
        return "9.99";
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println(offer("sku-1"));
        try {
            System.out.println(offerWithin("sku-1", Duration.ofMillis(5)));
        } catch (StructuredTaskScope.TimeoutException e) {
            System.out.println("offerWithin: timed out");
        }
        System.out.println(fastest(List.of(
                () -> slow("replica a", 200), () -> slow("replica b", 10), () -> {
                    throw new IllegalStateException("replica c is down");
                })));
        System.out.println(page(Map.of(
                "stock", () -> slow("12", 5),
                "reviews", () -> slow("4.5 stars", 5_000),
                "pricing", () -> {
                    throw new IllegalStateException("down");
                }), Duration.ofMillis(200)));
        notJoined();
        wrongThread();
    }

    private static String slow(String value, long millis) throws InterruptedException {
        Thread.sleep(millis);
        return value;
    }
}
