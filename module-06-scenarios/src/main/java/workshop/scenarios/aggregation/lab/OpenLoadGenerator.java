package workshop.scenarios.aggregation.lab;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * An open-model, constant-rate load generator: at {@code rate} requests a second, request {@code i} of a step is DUE
 * at {@code t0 + i / rate}, and is sent then (or as soon as the generator can, if it fell behind), whether or not
 * the earlier ones have been answered: the load does not slow down when the service does, as real users do not.
 * Each request's latency is measured from its DUE time, not from when it was sent, into an HdrHistogram: a service
 * that stalls for a second shows a second of latency on every request due during the stall, not on one. A closed
 * loop (wrk, hey, ab: a few connections each waiting for its answer before sending the next) would have sent
 * nothing during the stall and recorded one slow request: that is coordinated omission (Gil Tene, "How NOT to
 * Measure Latency").
 *
 * <p>Sends with {@link HttpClient#sendAsync} from one platform thread that only waits for due times and sends;
 * answers are read on virtual threads. One client, HTTP/1.1 (the JDK server speaks nothing else), a connection per
 * request in flight, kept alive between requests.
 */
final class OpenLoadGenerator implements AutoCloseable {

    /** Longest latency the histograms track, in microseconds (a request times out well before). */
    static final long HIGHEST_MICROS = Duration.ofMinutes(1).toNanos() / 1000;
    /** A request not answered in this time is an error (the connection is given up). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Requests in flight past this are not sent but counted as errors: the generator must not melt the machine. */
    static final int MAX_OUTSTANDING = 5_000;

    private static final Pattern DEGRADED = Pattern.compile("\"degraded\"\\s*:\\s*true");

    private final URI service;
    private final IntFunction<String> productOf;
    private final ExecutorService answers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final AtomicLong outstanding = new AtomicLong();

    /**
     * @param service   the service's base URI, e.g. {@code http://127.0.0.1:8080}
     * @param productOf the product id of the request with this number
     */
    OpenLoadGenerator(URI service, IntFunction<String> productOf) {
        this.service = service;
        this.productOf = productOf;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(answers)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** What one step measured. */
    record Step(double targetRate, Duration length, long sent, long answered, double achievedRate, Histogram latency,
                long ok, long degraded, long notFound, long unavailable, long timedOut, long otherStatus,
                long transportErrors, long notSent, Duration maxSendLag) {

        long errors() {
            return unavailable + timedOut + otherStatus + transportErrors + notSent + notFound;
        }

        double degradedShare() {
            return ok + degraded == 0 ? 0 : (double) degraded / (ok + degraded);
        }

        /** A percentile in milliseconds. */
        double millis(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** Counts of one step, written by the threads that read answers. */
    private static final class Tally {
        final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
        final LongAdder answered = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder degraded = new LongAdder();
        final LongAdder notFound = new LongAdder();
        final LongAdder unavailable = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder otherStatus = new LongAdder();
        final LongAdder transportErrors = new LongAdder();
        final LongAdder notSent = new LongAdder();
        final LongAccumulator lastAnswer = new LongAccumulator(Math::max, Long.MIN_VALUE);
    }

    /**
     * Runs one step: {@code rate} requests a second for {@code length}, then waits for the answers still due (up to
     * the request time-out). Prints a progress line every {@code progressEvery}.
     */
    Step run(String label, double rate, Duration length, Duration progressEvery) throws InterruptedException {
        Tally tally = new Tally();
        long count = Math.round(rate * length.toNanos() / 1e9);
        double intervalNanos = 1e9 / rate;
        long t0 = System.nanoTime() + Duration.ofMillis(20).toNanos();
        long maxLag = 0;
        long nextProgress = t0 + progressEvery.toNanos();
        for (long i = 0; i < count; i++) {
            long due = t0 + Math.round(i * intervalNanos);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            maxLag = Math.max(maxLag, now - due);
            if (now >= nextProgress) {
                progress(label, rate, length, now - t0, i, tally);
                nextProgress += progressEvery.toNanos();
            }
            send(productOf.apply((int) i), due, tally);
        }
        long sendEnd = System.nanoTime();
        long deadline = sendEnd + REQUEST_TIMEOUT.toNanos() + Duration.ofSeconds(2).toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the lab's own pacing, not a wait for another thread's state change in a test
        }
        long end = Math.max(tally.lastAnswer.get(), sendEnd);
        long answered = tally.answered.sum();
        return new Step(rate, length, count - tally.notSent.sum(), answered, answered / ((end - t0) / 1e9),
                tally.latency.getIntervalHistogram(), tally.ok.sum(), tally.degraded.sum(), tally.notFound.sum(),
                tally.unavailable.sum(), tally.timedOut.sum(), tally.otherStatus.sum(), tally.transportErrors.sum(),
                tally.notSent.sum(), Duration.ofNanos(maxLag));
    }

    /** Requests sent and not yet answered. */
    long outstanding() {
        return outstanding.get();
    }

    private void send(String product, long due, Tally tally) {
        if (outstanding.get() >= MAX_OUTSTANDING) {
            tally.notSent.increment();
            return;
        }
        outstanding.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + "/products/" + product))
                .timeout(REQUEST_TIMEOUT).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            long now = System.nanoTime();
            tally.latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - due) / 1000)));
            tally.lastAnswer.accumulate(now);
            tally.answered.increment();
            if (failure != null) {
                tally.transportErrors.increment();
            } else {
                switch (response.statusCode()) {
                    case 200 -> (DEGRADED.matcher(response.body()).find() ? tally.degraded : tally.ok).increment();
                    case 404 -> tally.notFound.increment();
                    case 503 -> tally.unavailable.increment();
                    case 504 -> tally.timedOut.increment();
                    default -> tally.otherStatus.increment();
                }
            }
            outstanding.decrementAndGet();
        });
    }

    private void progress(String label, double rate, Duration length, long elapsedNanos, long sent, Tally tally) {
        System.out.printf("    %s %,6.0f req/s: %3.0f s of %d, sent %,d, answered %,d, in flight %,d%n", label, rate,
                elapsedNanos / 1e9, length.toSeconds(), sent, tally.answered.sum(), outstanding.get());
    }

    /** Closes the client: waits for the requests still in flight (they time out), then its threads end. */
    @Override
    public void close() {
        client.close();
        answers.close();
    }
}
