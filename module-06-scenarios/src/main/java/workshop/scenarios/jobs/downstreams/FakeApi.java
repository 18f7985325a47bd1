package workshop.scenarios.jobs.downstreams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The external API of the job processor, simulated: a real HTTP server on loopback (the JDK's {@code HttpServer},
 * a virtual thread per exchange) that does a job's "work" by sleeping, fails a share of the calls, and allows at most
 * {@link Settings#limit()} calls at once: a call above the limit is refused at once with {@code 429 Too Many
 * Requests}, as a rate-limited API would. It counts what it saw, the peak of concurrent calls included, so that a
 * test or the lab can tell whether the processor kept within the limit.
 *
 * <p>The wire: {@code POST /jobs/{id}} with the job's payload as the body (UTF-8 text). Answers {@code 200} with the
 * result as a text body ({@code "processed " + payload}), {@code 503} for a simulated failure, {@code 429} above the
 * limit, {@code 404} for another path and {@code 405} for another method.
 *
 * <p>Deterministic: the latency and the failure of a call depend only on the seed, the job's id and how many calls
 * of that job the API has accepted before (the attempt), not on the order in which threads arrive. So a job that
 * failed may succeed when retried, and a test can find out in advance which attempts fail ({@link #fails}).
 *
 * <p>{@link #close()} stops the server and interrupts the calls still sleeping; when it returns, no thread of the
 * API runs any more. Thread-safe.
 */
public final class FakeApi implements AutoCloseable {

    /** The listen backlog: enough for a burst of a few hundred workers connecting at once. */
    static final int BACKLOG = 1024;

    /** How long {@link #close()} waits for interrupted calls to end, in seconds. */
    static final long CLOSE_WAIT_SECONDS = 5;

    /**
     * How the simulated API behaves.
     *
     * @param minLatency  the shortest call: not negative
     * @param maxLatency  the longest call: at least {@code minLatency}; each call's latency is uniform in between
     * @param failureRate the share of accepted calls that fail with 503: in {@code [0, 1]}
     * @param limit       how many calls may be in flight at once before a call is refused with 429: at least 1
     * @param seed        the seed of the latencies and failures
     */
    public record Settings(Duration minLatency, Duration maxLatency, double failureRate, int limit, long seed) {

        /** The seed's API: 50 to 500 ms per call, no failures, at most 100 calls at once. */
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(50), Duration.ofMillis(500), 0.0, 100,
                1L);

        public Settings {
            Objects.requireNonNull(minLatency, "minLatency");
            Objects.requireNonNull(maxLatency, "maxLatency");
            if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
                throw new IllegalArgumentException("need 0 <= minLatency <= maxLatency: " + minLatency + ", "
                        + maxLatency);
            }
            if (!(failureRate >= 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("failureRate not in [0, 1]: " + failureRate);
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit < 1: " + limit);
            }
        }

        /** These settings with each call's latency multiplied by {@code factor} (tests use 0.1: 5 to 50 ms). */
        public Settings scaled(double factor) {
            if (!(factor >= 0)) {
                throw new IllegalArgumentException("factor < 0: " + factor);
            }
            return new Settings(Duration.ofNanos((long) (minLatency.toNanos() * factor)),
                    Duration.ofNanos((long) (maxLatency.toNanos() * factor)), failureRate, limit, seed);
        }

        /** These settings with each call's latency uniform in {@code [min, max]}. */
        public Settings withLatency(Duration min, Duration max) {
            return new Settings(min, max, failureRate, limit, seed);
        }

        /** These settings with {@code rate} of the accepted calls failing. */
        public Settings withFailureRate(double rate) {
            return new Settings(minLatency, maxLatency, rate, limit, seed);
        }

        /** These settings with at most {@code limit} calls at once. */
        public Settings withLimit(int limit) {
            return new Settings(minLatency, maxLatency, failureRate, limit, seed);
        }

        /** These settings with another seed. */
        public Settings withSeed(long seed) {
            return new Settings(minLatency, maxLatency, failureRate, limit, seed);
        }
    }

    /**
     * What the API saw so far.
     *
     * @param calls    every call that reached it (refused ones included)
     * @param answered calls answered with 200
     * @param failed   calls failed with 503 (simulated failures)
     * @param refused  calls refused with 429 (above the limit)
     * @param inFlight calls in flight now
     * @param peak     the most calls in flight at once (refused ones included: what the callers tried)
     */
    public record Counters(long calls, long answered, long failed, long refused, int inFlight, int peak) {
    }

    private static final String PREFIX = "/jobs/";

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI uri;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refused = new LongAdder();

    private FakeApi(Settings settings, HttpServer server, ExecutorService executor) {
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        InetSocketAddress address = server.getAddress();
        this.uri = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /**
     * Starts the API on a free loopback port; it listens when this returns.
     *
     * @throws IOException if no port can be bound
     */
    public static FakeApi start(Settings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fake-api-", 0)
                .factory());
        FakeApi api = new FakeApi(settings, server, executor);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /** Where it listens, such as {@code http://127.0.0.1:41234}. */
    public URI uri() {
        return uri;
    }

    /** How it behaves. */
    public Settings settings() {
        return settings;
    }

    /** What it saw so far. */
    public Counters counters() {
        return new Counters(calls.sum(), answered.sum(), failed.sum(), refused.sum(), inFlight.get(), peak.get());
    }

    /** The most calls in flight at once so far (refused ones included). */
    public int peak() {
        return peak.get();
    }

    /** Starts counting the peak afresh from the calls in flight now (between the lab's runs). */
    public void resetPeak() {
        peak.set(inFlight.get());
    }

    /**
     * Whether the API fails the {@code attempt}-th accepted call of job {@code id} (1 for the first): the same answer
     * as the server gives, so that a test can choose jobs that fail or succeed.
     */
    public boolean fails(String id, int attempt) {
        return draw(id, attempt).nextDouble() < settings.failureRate();
    }

    /** The result the API answers for a payload. */
    public static String resultOf(String payload) {
        return "processed " + payload;
    }

    /** A call's latency and failure: the same for the same seed, job and attempt, whichever thread serves it. */
    private SplittableRandom draw(String id, int attempt) {
        return new SplittableRandom(mix(settings.seed(), id.hashCode(), attempt));
    }

    private void handle(HttpExchange exchange) {
        calls.increment();
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
                send(exchange, 404, "no such path: " + path + " (POST /jobs/{id})");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, "POST only");
                return;
            }
            if (now > settings.limit()) {
                refused.increment();
                send(exchange, 429, "too many concurrent calls: " + now + " > " + settings.limit());
                return;
            }
            String id = path.substring(PREFIX.length());
            String payload;
            try (InputStream body = exchange.getRequestBody()) {
                payload = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            int attempt = attempts.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            SplittableRandom random = draw(id, attempt);
            boolean fail = random.nextDouble() < settings.failureRate();
            long min = settings.minLatency().toNanos();
            long spread = settings.maxLatency().toNanos() - min;
            long latency = min + (spread == 0 ? 0 : (long) (random.nextDouble() * spread));
            if (latency > 0) {
                Thread.sleep(Duration.ofNanos(latency));
            }
            if (fail) {
                failed.increment();
                send(exchange, 503, "simulated failure of job " + id + ", attempt " + attempt);
            } else {
                answered.increment();
                send(exchange, 200, resultOf(payload));
            }
        } catch (InterruptedException e) {
            // close() interrupts calls still sleeping: end without an answer (the connection is being closed)
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the caller went away (it was interrupted, or timed out): nobody to answer
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** SplitMix64's finalizer over the seed, the job's id and the attempt. */
    private static long mix(long seed, int id, int attempt) {
        long z = seed + 0x9E3779B97F4A7C15L * (attempt + 1L) + 0xBF58476D1CE4E5B9L * (id + 0x632BE59BD9B4E019L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Stops listening, interrupts the calls still sleeping and waits for them to end. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the fake API's calls still run " + CLOSE_WAIT_SECONDS
                        + " s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FakeApi[" + uri + ", " + settings + "]";
    }
}
