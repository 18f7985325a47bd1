package workshop.context.examples;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Java's cancellation signal is the thread's interrupt flag: a request to stop that the thread must notice and answer.
 * Blocking JDK calls answer it by throwing {@link InterruptedException}; loops that compute check it themselves.
 */
public final class Interruption {

    private Interruption() {
    }

    // tag::blocking-loop[]
    static void drain(BlockingQueue<String> jobs) throws InterruptedException {
        while (true) {
            String job = jobs.take(); // interrupted while waiting (or before): throws, and the flag is cleared
            System.out.println("handled " + job);
        }
    }
    // end::blocking-loop[]

    // tag::cpu-loop[]
    static long countPrimes(long limit) throws InterruptedException {
        long count = 0;
        for (long n = 2; n < limit; n++) {
            if (Thread.interrupted()) { // tests and clears: the flag becomes the exception
                throw new InterruptedException("stopped at " + n);
            }
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }
    // end::cpu-loop[]

    // tag::restore-flag[]
    static Optional<String> nextOrEmpty(BlockingQueue<String> queue, Duration wait) {
        try {
            return Optional.ofNullable(queue.poll(wait.toNanos(), NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cannot rethrow here: set the flag again for the code above
            return Optional.empty();
        }
    }
    // end::restore-flag[]

    // tag::swallowed[]
    static void pollForever(BlockingQueue<String> queue) {
        while (true) {
            try {
                System.out.println(queue.take());
            } catch (InterruptedException e) {
                System.out.println("interrupted, carrying on"); // the flag is clear again: the request is lost
            }
        }
    }
    // end::swallowed[]

    static void flagDemo() {
        // tag::flag[]
        Thread me = Thread.currentThread();
        me.interrupt();                        // sets the flag; nothing else happens until someone looks
        boolean seen = me.isInterrupted();     // true, and the flag stays set
        boolean first = Thread.interrupted();  // true, and the flag is now clear
        boolean second = Thread.interrupted(); // false: the first call consumed it
        // end::flag[]
        System.out.println("isInterrupted " + seen + ", interrupted " + first + " then " + second);
    }

    // tag::give-up-and-stop[]
    static String replyOrFallback(Duration budget) throws InterruptedException {
        AtomicReference<String> reply = new AtomicReference<>("fallback");
        Thread call = Thread.ofVirtual().start(() -> {
            try {
                reply.set(slowCall(Duration.ofSeconds(5)));
            } catch (InterruptedException cancelled) {
                // asked to stop: end without a reply
            }
        });
        if (!call.join(budget)) { // false: the call is still running when the budget is spent
            call.interrupt();     // giving up the wait stops nothing: ask the call to stop
            call.join();          // and wait until it has, so that nothing it does outlives this answer
        }
        return reply.get();
    }
    // end::give-up-and-stop[]

    static void shutdownDemo() throws InterruptedException {
        // tag::shutdown-now[]
        ExecutorService pool = Executors.newFixedThreadPool(2);
        BlockingQueue<String> jobs = new ArrayBlockingQueue<>(10);
        pool.submit(() -> {
            drain(jobs);      // never returns by itself
            return null;
        });
        pool.shutdown();      // accept no new tasks; running ones go on: drain would go on for ever
        if (!pool.awaitTermination(100, MILLISECONDS)) {
            List<Runnable> neverStarted = pool.shutdownNow(); // interrupt the running tasks, hand back the queued
            System.out.println(neverStarted.size() + " tasks never started");
        }
        boolean terminated = pool.awaitTermination(1, SECONDS); // true: drain answered the interrupt
        // end::shutdown-now[]
        System.out.println("terminated " + terminated);
    }

    static String slowCall(Duration duration) throws InterruptedException {
        Thread.sleep(duration); // answers an interrupt at once
        return "reply";
    }

    private static boolean isPrime(long n) {
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    public static void main(String[] args) throws Exception {
        flagDemo();
        System.out.println(replyOrFallback(Duration.ofMillis(50)));
        shutdownDemo();
        Thread counter = Thread.ofVirtual().start(() -> {
            try {
                System.out.println(countPrimes(Long.MAX_VALUE));
            } catch (InterruptedException e) {
                System.out.println("counter: " + e.getMessage());
            }
        });
        counter.interrupt();
        counter.join();
        Thread.currentThread().interrupt();
        System.out.println("nextOrEmpty " + nextOrEmpty(new ArrayBlockingQueue<>(1), Duration.ofSeconds(1))
                + ", flag restored " + Thread.interrupted());
    }
}
