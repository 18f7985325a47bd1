package workshop.patterns.examples;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Gatherers;
import java.util.stream.IntStream;

/**
 * {@link Gatherers#mapConcurrent} (JDK 24+, JEP 485): map a stream's elements on virtual threads, at most
 * {@code maxConcurrency} at a time, results in input order. {@code main} measures what the javadoc says and what it
 * leaves to the implementation: the bound, the order, when a failure surfaces, and what an interrupt of the caller
 * does.
 */
public final class MapConcurrent {

    private MapConcurrent() {
    }

    static final AtomicInteger inFlight = new AtomicInteger();
    static final AtomicInteger peak = new AtomicInteger();

    // tag::map-concurrent[]
    static List<String> fetchAll(List<Integer> ids) {
        return ids.stream()
                .gather(Gatherers.mapConcurrent(4, id -> fetch(id))) // at most 4 virtual threads at a time
                .toList();                                            // in input order, whatever finished first
    }
    // end::map-concurrent[]

    static String fetch(int id) {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(5 + (id * 7) % 11);
            return "item-" + id;
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** 50 elements, limit 4: the peak of calls in flight, and whether the results are in input order. */
    static void boundAndOrder() {
        List<Integer> ids = IntStream.range(0, 50).boxed().toList();
        List<String> out = fetchAll(ids);
        boolean ordered = out.equals(ids.stream().map(i -> "item-" + i).toList());
        System.out.println("bound: peak in flight " + peak.get() + " (limit 4), in input order: " + ordered);
    }

    /** Element 1 fails at once, element 0 takes 300 ms: when does the caller see the failure? */
    static void failureWaitsForTheHead() {
        AtomicInteger started = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            IntStream.range(0, 8).boxed()
                    .gather(Gatherers.mapConcurrent(8, i -> {
                        started.incrementAndGet();
                        if (i == 1) {
                            throw new IllegalStateException("element 1 failed");
                        }
                        sleep(i == 0 ? 300 : 2_000);
                        return i;
                    }))
                    .toList();
        } catch (IllegalStateException e) {
            System.out.printf("failure: '%s' surfaced after %d ms (the head took 300 ms); %d tasks had started%n",
                    e.getMessage(), (System.nanoTime() - t0) / 1_000_000, started.get());
        }
    }

    /** Limit 2, element 0 slow: how many tasks start before the head is done? */
    static void headOfLine() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger startedWhileHeadRan = new AtomicInteger(-1);
        IntStream.range(0, 10).boxed()
                .gather(Gatherers.mapConcurrent(2, i -> {
                    started.incrementAndGet();
                    if (i == 0) {
                        sleep(300);
                        startedWhileHeadRan.set(started.get());
                    } else {
                        sleep(5);
                    }
                    return i;
                }))
                .toList();
        System.out.println("head of line: limit 2, tasks started while the 300 ms head ran: " + startedWhileHeadRan);
    }

    /** The caller is interrupted while the stream runs: does the stream stop? */
    static void callerInterrupted() throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        long[] took = new long[1];
        boolean[] flag = new boolean[1];
        Thread caller = Thread.ofVirtual().start(() -> {
            long t0 = System.nanoTime();
            List<Integer> out = IntStream.range(0, 20).boxed()
                    .gather(Gatherers.mapConcurrent(2, i -> {
                        sleep(50);
                        done.incrementAndGet();
                        return i;
                    }))
                    .toList();
            took[0] = (System.nanoTime() - t0) / 1_000_000;
            flag[0] = Thread.currentThread().isInterrupted();
            System.out.printf("interrupt: %d of 20 results, %d tasks ran, %d ms, interrupt flag set after: %b%n",
                    out.size(), done.get(), took[0], flag[0]);
        });
        Thread.sleep(120);
        caller.interrupt();
        caller.join();
    }

    /** A short-circuiting downstream: limit(2) after mapConcurrent(4). */
    static void shortCircuit() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        List<Integer> out = IntStream.range(0, 100).boxed()
                .gather(Gatherers.mapConcurrent(4, i -> {
                    started.incrementAndGet();
                    try {
                        Thread.sleep(i < 2 ? 10 : 1_000);
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    }
                    return i;
                }))
                .limit(2)
                .toList();
        System.out.printf("limit(2): got %s, %d tasks started, %d interrupted%n",
                out, started.get(), interrupted.get());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        boundAndOrder();
        failureWaitsForTheHead();
        headOfLine();
        callerInterrupted();
        shortCircuit();
    }
}
