package workshop.scenarios.aggregation.adapter.web;

import workshop.scenarios.aggregation.application.ProductPages;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.ProductPage;
import workshop.scenarios.aggregation.domain.Stock;
import workshop.support.testing.Patience;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/**
 * The fixture of 06.6's tests: the real server with the learner's watch REQUIRED, and a handler that asks a fake
 * {@link ProductPages}. On {@code /products/slow} the fake waits on a latch for up to a minute, interruptibly, and
 * records that it was interrupted and that it ended; any other path answers at once with the method and path as its
 * body.
 */
final class WebWatchedServer implements AutoCloseable {

    /** Longer than any test: a handler that waits this long was not cancelled. */
    static final Duration FAKE_WAIT = Duration.ofSeconds(60);
    static final Duration PROMPTLY = Patience.seconds(5);

    final CountDownLatch slowStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean slowInterrupted = new AtomicBoolean();
    final AtomicBoolean slowEnded = new AtomicBoolean();
    /** Handlers that found their thread's interrupt status already set when they began: a late interrupt. */
    final AtomicInteger startedInterrupted = new AtomicInteger();
    final AtomicInteger handled = new AtomicInteger();
    final WebServer server;

    private final ProductPages pages = id -> {
        if (Thread.currentThread().isInterrupted()) {
            startedInterrupted.incrementAndGet();
        }
        if (id.value().equals("slow")) {
            slowStarted.countDown();
            try {
                if (!release.await(FAKE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                slowInterrupted.set(true);
                throw e;
            } finally {
                slowEnded.set(true);
            }
        }
        return new PageDecision.Serve(new ProductPage(id, new Stock(1, "AMS"), new Price(1, "EUR"),
                Optional.empty(), Optional.empty(), Set.of()));
    };

    WebWatchedServer() throws IOException {
        this(WebServer.Options.defaults());
    }

    WebWatchedServer(WebServer.Options options) throws IOException {
        server = WebServer.start(request -> {
            handled.incrementAndGet();
            String path = request.path();
            String id = path.startsWith("/products/") ? path.substring("/products/".length()) : "fast";
            if (path.equals("/boom")) {
                throw new IllegalStateException("boom");
            }
            pages.load(new ProductId(id));
            return Response.text(200, request.method() + " " + path);
        }, options.withWatching(WebServer.Watching.REQUIRED));
    }

    /** Rethrows the exception the learner's watch threw when it was started ("not solved yet", for one). */
    void rethrowWatchFailure() {
        server.watchFailure().ifPresent(e -> {
            throw e;
        });
    }

    /** Waits until {@code condition}, failing at once if the watch failed to start, else with {@code why}. */
    void awaitUntil(String why, BooleanSupplier condition) {
        await(why).atMost(PROMPTLY).pollInterval(Duration.ofMillis(5)).until(() -> {
            rethrowWatchFailure();
            return condition.getAsBoolean();
        });
    }

    /** The live threads the server made for watches. */
    List<Thread> watchThreads() {
        return server.threads().stream().filter(t -> t.getName().startsWith("web-watch-")).toList();
    }

    @Override
    public void close() {
        release.countDown();
        server.close();
    }
}
