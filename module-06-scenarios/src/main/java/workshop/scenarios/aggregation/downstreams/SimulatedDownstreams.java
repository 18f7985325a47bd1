package workshop.scenarios.aggregation.downstreams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import workshop.scenarios.aggregation.domain.Part;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The four downstreams of the aggregation API, simulated: one real HTTP server per part (the JDK's {@code HttpServer}
 * on loopback, on an ephemeral port, a virtual thread per exchange), serving the module's wire contract for the
 * products of the {@link Catalogue}:
 * <pre>
 * GET /inventory/{id}        200 {"productId":"p-1","available":12,"warehouse":"AMS"}        404 when unknown
 * GET /prices/{id}           200 {"productId":"p-1","amountCents":1999,"currency":"EUR"}     404 when unknown
 * GET /reviews/{id}          200 {"productId":"p-1","averageStars":4.5,"count":120}         404 when it has none
 * GET /recommendations/{id}  200 {"productId":"p-1","productIds":["p-2","p-3","p-4"]}         404 when it has none
 * </pre>
 * and, on a failed call, 500 or 503 with a short text body. Each call first sleeps for a delay drawn from its part's
 * {@link Profile} (a virtual thread's sleep: it costs no CPU and no platform thread), then answers. The JDK server
 * cannot tell that a client went away, so a call whose client gave up sleeps on and answers into a closed connection.
 *
 * <p>Not part of the service: {@code Main}'s demo mode, the lab and the tests start it.
 * {@link #close()} stops the four servers at once and interrupts the calls still sleeping; when it returns, no thread
 * of theirs is left. Thread-safe.
 *
 * <pre>{@code
 * try (var downstreams = SimulatedDownstreams.start(Profiles.demo())) {
 *     URI inventory = downstreams.baseUri(Part.INVENTORY);          // http://127.0.0.1:40123
 *     // GET inventory.resolve("/inventory/p-1") ...
 * }
 * }</pre>
 */
public final class SimulatedDownstreams implements AutoCloseable {

    /** The listen backlog of each server: enough for the lab's bursts. */
    static final int BACKLOG = 1024;
    /** How long {@link #close()} waits for interrupted calls to end, in seconds. */
    static final long CLOSE_WAIT_SECONDS = 5;

    private final Profiles profiles;
    private final Map<Part, Downstream> downstreams;

    private SimulatedDownstreams(Profiles profiles, Map<Part, Downstream> downstreams) {
        this.profiles = profiles;
        this.downstreams = downstreams;
    }

    /**
     * Starts the four servers, each on an ephemeral port of the loopback address; they accept calls when this returns.
     *
     * @throws UncheckedIOException if a server cannot bind (those already started are stopped)
     */
    public static SimulatedDownstreams start(Profiles profiles) {
        Objects.requireNonNull(profiles, "profiles");
        Map<Part, Downstream> started = new EnumMap<>(Part.class);
        try {
            for (Part part : Part.values()) {
                started.put(part, Downstream.start(part, profiles.of(part), profiles.seed()));
            }
        } catch (IOException | RuntimeException e) {
            started.values().forEach(Downstream::close);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("could not start the simulated downstreams", io);
            }
            throw (RuntimeException) e;
        }
        return new SimulatedDownstreams(profiles, started);
    }

    /** The path prefix of a part's contract: {@code /inventory/}, {@code /prices/}, {@code /reviews/}, ... */
    public static String pathOf(Part part) {
        return switch (part) {
            case INVENTORY -> "/inventory/";
            case PRICING -> "/prices/";
            case REVIEWS -> "/reviews/";
            case RECOMMENDATIONS -> "/recommendations/";
        };
    }

    /**
     * The base URI of a part's downstream, without a trailing slash, e.g. {@code http://127.0.0.1:40123}: the
     * inventory of product {@code p-1} is {@code GET base + "/inventory/p-1"}.
     */
    public URI baseUri(Part part) {
        return downstreams.get(part).baseUri;
    }

    /** What the servers were started with. */
    public Profiles profiles() {
        return profiles;
    }

    /** A snapshot of a part's counters since the start (the peak since the last {@link #resetPeaks()}). */
    public Counters counters(Part part) {
        return downstreams.get(part).counters();
    }

    /** Starts each part's in-flight peak afresh from the calls in flight now (the lab does it at each step). */
    public void resetPeaks() {
        downstreams.values().forEach(Downstream::resetPeak);
    }

    /**
     * Stops the four servers at once (no new connection is accepted, open ones are closed), interrupts the calls
     * still sleeping and waits up to {@value #CLOSE_WAIT_SECONDS} s for them to end. Idempotent.
     */
    @Override
    public void close() {
        downstreams.values().forEach(d -> d.server.stop(0));
        downstreams.values().forEach(Downstream::close);
    }

    /**
     * One downstream's counters.
     *
     * @param requests     calls received
     * @param ok           answered 200
     * @param notFound     answered 404
     * @param failed       answered 5xx on purpose (the profile's failure rate)
     * @param inFlight     calls being served now
     * @param peakInFlight the most calls served at once (since the start or the last reset)
     */
    public record Counters(long requests, long ok, long notFound, long failed, long inFlight, long peakInFlight) {
    }

    /** One part's server. */
    private static final class Downstream implements HttpHandler {
        private final Part part;
        private final Profile profile;
        private final long seed;
        private final HttpServer server;
        private final ExecutorService executor;
        private final URI baseUri;
        private final AtomicLong sequence = new AtomicLong();
        private final LongAdder ok = new LongAdder();
        private final LongAdder notFound = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final AtomicLong inFlight = new AtomicLong();
        private final AtomicLong peak = new AtomicLong();

        private Downstream(Part part, Profile profile, long seed, HttpServer server, ExecutorService executor) {
            this.part = part;
            this.profile = profile;
            this.seed = seed;
            this.server = server;
            this.executor = executor;
            InetSocketAddress address = server.getAddress();
            this.baseUri = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
        }

        static Downstream start(Part part, Profile profile, long seed) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
            ExecutorService executor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("downstream-" + part.label() + "-", 0).factory());
            Downstream downstream = new Downstream(part, profile, seed, server, executor);
            server.createContext("/", downstream);
            server.setExecutor(executor);
            server.start();
            return downstream;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            long n = sequence.getAndIncrement();
            // the n-th call draws the same in every run with the same seed, whichever virtual thread serves it
            SplittableRandom random = new SplittableRandom(mix(seed, part.ordinal(), n));
            Duration delay = profile.latency().draw(random);
            boolean fail = random.nextDouble() < profile.failureRate();
            int failStatus = random.nextBoolean() ? 500 : 503;
            long now = inFlight.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try (exchange) {
                if (!delay.isZero()) {
                    Thread.sleep(delay);
                }
                if (!"GET".equals(exchange.getRequestMethod())) {
                    send(exchange, 405, "text/plain", "only GET");
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                String prefix = pathOf(part);
                if (!path.startsWith(prefix)) {
                    send(exchange, 404, "text/plain", "no such path: " + path);
                    return;
                }
                if (fail) {
                    failed.increment();
                    send(exchange, failStatus, "text/plain", failStatus == 500 ? "simulated failure"
                            : "simulated overload, try later");
                    return;
                }
                String id = path.substring(prefix.length());
                OptionalInt number = Catalogue.number(id);
                String body = number.isEmpty() ? null : switch (part) {
                    case INVENTORY -> Catalogue.inventory(number.getAsInt());
                    case PRICING -> Catalogue.price(number.getAsInt());
                    case REVIEWS -> Catalogue.hasReviews(id) ? Catalogue.reviews(number.getAsInt()) : null;
                    case RECOMMENDATIONS -> Catalogue.hasRecommendations(id)
                            ? Catalogue.recommendations(number.getAsInt()) : null;
                };
                if (body == null) {
                    notFound.increment();
                    send(exchange, 404, "text/plain", part.label() + " knows no product " + id);
                } else {
                    ok.increment();
                    send(exchange, 200, "application/json", body);
                }
            } catch (InterruptedException e) {
                // close() interrupts calls still sleeping: end without an answer (the connection is being closed)
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away while we slept: nobody to answer
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type",
                    type.equals("application/json") ? type : type + "; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        /** SplitMix64's finalizer over the seed, the part and the call's number. */
        private static long mix(long seed, int part, long n) {
            long z = seed + 0x9E3779B97F4A7C15L * (n + 1) + 0xBF58476D1CE4E5B9L * (part + 1);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        Counters counters() {
            return new Counters(sequence.get(), ok.sum(), notFound.sum(), failed.sum(), inFlight.get(), peak.get());
        }

        void resetPeak() {
            peak.set(inFlight.get());
        }

        void close() {
            server.stop(0);
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(part.label() + ": calls still running " + CLOSE_WAIT_SECONDS
                            + " s after close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
