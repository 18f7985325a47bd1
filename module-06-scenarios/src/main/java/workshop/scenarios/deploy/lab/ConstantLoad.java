package workshop.scenarios.deploy.lab;

import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.scenarios.deploy.downstreams.ReadyOnlyFront;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-model, constant-rate load: request {@code i} is sent at {@code t0 + i / rate} whether or not the earlier
 * ones have been answered (a closed-model tool, one request after the other, would slow down with the service and
 * hide the failures of a bad moment), each {@code GET /items/item-{1 + i mod 100}} on a virtual thread of its own.
 * A request fails when it is not answered 200 with the version header within 5 s: refused, reset, 502/503 from the front, or 503
 * from a cold instance.
 *
 * <p>Thread safety: {@link #stop()} may be called from any thread, once.
 */
public final class ConstantLoad implements AutoCloseable {

    /**
     * What a load saw: requests sent, answered 200, failed (the first few failures, and how many of each kind), and
     * who answered.
     */
    public record Report(int sent, int ok, int failed, List<String> failures, Map<String, Integer> failuresByKind,
                         Map<String, Integer> byVersion, String lastVersion) {
    }

    /** A 503 from an instance: not ready (its cache is cold, or it is shutting down). */
    public static final String NOT_READY = "503 from an instance";
    /** A 502 from the front: the instance it chose refused the connection, reset it or did not answer. */
    public static final String BACKEND_FAILED = "502 from the front";
    /** A 503 from the front: no backend to route to. */
    public static final String NO_BACKEND = "503 from the front";
    /** Anything else: another status, or the front itself failed. */
    public static final String OTHER = "other";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int FAILURES_KEPT = 10;

    private final URI target;
    private final double perSecond;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> failuresByKind = new TreeMap<>();
    private final Map<String, Integer> byVersion = new TreeMap<>();
    private volatile String lastVersion = "";
    private volatile boolean stopping;
    private final Thread pacer;

    private ConstantLoad(URI target, double perSecond) {
        this.target = Objects.requireNonNull(target, "target");
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.perSecond = perSecond;
        pacer = Thread.ofPlatform().name("constant-load").start(this::pace);
    }

    /** Starts sending {@code perSecond} requests a second to {@code target} (the front's base URI). */
    public static ConstantLoad start(URI target, double perSecond) {
        return new ConstantLoad(target, perSecond);
    }

    /** Requests sent so far. */
    public int sent() {
        return sent.get();
    }

    /** Requests failed so far. */
    public int failed() {
        return failed.get();
    }

    private void pace() {
        long t0 = System.nanoTime();
        for (long i = 0; !stopping; i++) {
            long due = t0 + (long) (i * 1e9 / perSecond);
            long wait;
            while ((wait = due - System.nanoTime()) > 0 && !stopping) {
                LockSupport.parkNanos(wait);
            }
            if (stopping) {
                return;
            }
            long id = i % 100 + 1;
            sent.incrementAndGet();
            requests.execute(() -> send(id));
        }
    }

    private void send(long id) {
        HttpRequest request = HttpRequest.newBuilder(target.resolve(ServiceContract.ITEMS_PATH + "item-" + id))
                .timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String version = response.headers().firstValue(ServiceContract.VERSION_HEADER).orElse(null);
            if (response.statusCode() == 200 && version != null) {
                ok.incrementAndGet();
                lastVersion = version;
                synchronized (byVersion) {
                    byVersion.merge(version, 1, Integer::sum);
                }
            } else {
                boolean front = response.headers().firstValue(ReadyOnlyFront.FRONT_ERROR).isPresent();
                String kind = response.statusCode() == 503 && version != null ? NOT_READY
                        : response.statusCode() == 502 && front ? BACKEND_FAILED
                        : response.statusCode() == 503 && front ? NO_BACKEND : OTHER;
                fail(kind, "status " + response.statusCode() + (version == null ? " without a version" : " from " + version)
                        + response.headers().firstValue(ReadyOnlyFront.FRONT_ERROR).map(e -> " (front: " + e + ")").orElse("")
                        + ": " + response.body().strip());
            }
        } catch (IOException e) {
            fail(OTHER, e.toString());
        } catch (InterruptedException e) {
            fail(OTHER, "interrupted: the load stopped before its answer");
        }
    }

    private void fail(String kind, String what) {
        failed.incrementAndGet();
        synchronized (failures) {
            failuresByKind.merge(kind, 1, Integer::sum);
            if (failures.size() < FAILURES_KEPT) {
                failures.add(what.length() > 300 ? what.substring(0, 300) + "..." : what);
            }
        }
    }

    /** Stops sending, waits up to 5 s for the answers of the requests in flight, and reports. */
    public Report stop() throws InterruptedException {
        stopping = true;
        LockSupport.unpark(pacer);
        pacer.join();
        requests.shutdown();
        if (!requests.awaitTermination(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            requests.shutdownNow();
        }
        synchronized (failures) {
            synchronized (byVersion) {
                return new Report(sent.get(), ok.get(), failed.get(), List.copyOf(failures),
                        Map.copyOf(failuresByKind), Map.copyOf(byVersion), lastVersion);
            }
        }
    }

    /** Stops the load if {@link #stop()} has not, and frees the client. */
    @Override
    public void close() throws InterruptedException {
        if (!stopping || pacer.isAlive()) {
            stop();
        }
        requests.close();
        client.close();
    }
}
