package workshop.context.examples;

import java.time.Duration;
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
    static void aFailureCancelsTheOthers() throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {                   // g, ctx := errgroup.WithContext(ctx)
            Subtask<String> stock = scope.fork(() -> stock("sku-1"));    // g.Go(func() error { ... })
            Subtask<String> price = scope.fork(() -> {
                throw new IllegalStateException("pricing is down");
            });
            try {
                scope.join();                                             // g.Wait()
            } catch (StructuredTaskScope.FailedException e) {             // the first failure, its cause inside
                System.out.println("failed: " + e.getCause().getMessage());
                System.out.println(stock.state() + " " + price.state()); // UNAVAILABLE (interrupted) FAILED
            }
        } // close(): every fork has ended by here, the interrupted one too
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
        aFailureCancelsTheOthers();
        try {
            System.out.println(offerWithin("sku-1", Duration.ofMillis(5)));
        } catch (StructuredTaskScope.TimeoutException e) {
            System.out.println("offerWithin: timed out");
        }
        notJoined();
        wrongThread();
    }
}
