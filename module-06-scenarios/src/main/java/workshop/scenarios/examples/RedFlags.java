package workshop.scenarios.examples;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The red flag "a background context instead of the request's", in Java: the call is handed to an executor that
 * belongs to nobody's request, so giving up on it does not end it. Beside it, the same call as a fork of the request's
 * scope. {@link #main} counts the calls still running after each handler has answered.
 */
public final class RedFlags {

    private RedFlags() {
    }

    static final AtomicInteger running = new AtomicInteger();
    static volatile CountDownLatch ended = new CountDownLatch(1);

    // tag::background[]
    static final ExecutorService shared = Executors.newCachedThreadPool(); // context.Background(): nobody's child

    static String answerFromSharedPool(Callable<String> call, Duration budget) throws Exception {
        Future<String> answer = shared.submit(call);
        try {
            return answer.get(budget.toMillis(), TimeUnit.MILLISECONDS); // the request stops waiting...
        } catch (TimeoutException late) {
            return "fallback";                                            // ...and the call runs on, unowned
        }
    }

    static String answerFromRequestScope(Callable<String> call, Duration budget) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<String>anySuccessfulResultOrThrow(),
                cf -> cf.withTimeout(budget))) {
            scope.fork(call);
            return scope.join();
        } catch (StructuredTaskScope.TimeoutException late) {
            return "fallback";                                            // close() has interrupted and joined it
        }
    }
    // end::background[]

    /** A downstream call of 300 ms that counts itself while it runs. */
    static String slowCall() throws InterruptedException {
        running.incrementAndGet();
        try {
            Thread.sleep(300);
            return "late answer";
        } finally {
            running.decrementAndGet();
            ended.countDown();
        }
    }

    public static void main(String[] args) throws Exception {
        Duration budget = Duration.ofMillis(50);
        try (shared) {
            long start = System.nanoTime();
            String a = answerFromSharedPool(RedFlags::slowCall, budget);
            System.out.printf("shared pool:   answered %s after %d ms; calls still running: %d%n", a,
                    (System.nanoTime() - start) / 1_000_000, running.get());
            ended.await();
            System.out.printf("shared pool:   the call ended %d ms after the request began%n",
                    (System.nanoTime() - start) / 1_000_000);

            start = System.nanoTime();
            String b = answerFromRequestScope(RedFlags::slowCall, budget);
            System.out.printf("request scope: answered %s after %d ms; calls still running: %d%n", b,
                    (System.nanoTime() - start) / 1_000_000, running.get());
        }
    }
}
