package workshop.scenarios.aggregation;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.LoggerFactory;
import workshop.scenarios.aggregation.adapter.downstream.DownstreamHttpClient;
import workshop.scenarios.aggregation.adapter.metrics.MeteredPorts;
import workshop.scenarios.aggregation.adapter.web.Handler;
import workshop.scenarios.aggregation.adapter.web.ProductEndpoint;
import workshop.scenarios.aggregation.adapter.web.RequestLog;
import workshop.scenarios.aggregation.adapter.web.Response;
import workshop.scenarios.aggregation.adapter.web.WebServer;
import workshop.scenarios.aggregation.application.Breakers;
import workshop.scenarios.aggregation.application.ProductPageService;
import workshop.scenarios.aggregation.application.ProductPages;
import workshop.scenarios.aggregation.application.Scheduler;
import workshop.scenarios.aggregation.domain.Budgets;
import workshop.scenarios.aggregation.domain.DegradationPolicy;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.downstreams.Profiles;
import workshop.scenarios.aggregation.downstreams.SimulatedDownstreams;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The aggregation API's composition root, Go's {@code cmd/aggregation/main.go}: the one class that knows every
 * adapter and wires them to the use case. It holds no logic of its own: it parses the command line, builds each
 * piece once, hands each its collaborators, and closes them in reverse order (Go's {@code defer} stack).
 *
 * <pre>{@code
 * java --enable-preview -cp ... workshop.scenarios.aggregation.Main --port 8080 --demo
 * java --enable-preview -cp ... workshop.scenarios.aggregation.Main --port 0 \
 *      --inventory http://127.0.0.1:8081 --pricing http://127.0.0.1:8082 \
 *      --reviews http://127.0.0.1:8083 --recommendations http://127.0.0.1:8084
 * }</pre>
 *
 * <p>What a request goes through, outside in: the {@link WebServer} (loopback, a virtual thread per connection, the
 * client-gone watch), the {@link RequestLog} (one line per request), the routes ({@code /metrics}, else the
 * {@link ProductEndpoint}), the use case metered end to end ({@link MeteredPorts#pages}), the
 * {@link ProductPageService} with its budgets, and per downstream: metered, then its breaker ({@link Breakers}),
 * then its {@link DownstreamHttpClient} (one shared {@code HttpClient} each). The metrics sit outside the breakers,
 * so that a call an open breaker rejects is counted ({@code outcome="rejected"}).
 */
public final class Main {

    /** The logger of the request lines: {@code logback.xml} writes it as JSON, one object per line. */
    public static final String REQUEST_LOGGER = "workshop.scenarios.aggregation.requests";

    /** Consecutive failures of one downstream that open its breaker. */
    static final int BREAKER_FAILURES = 5;

    /** How long an open breaker rejects calls before it lets one trial through. */
    static final Duration BREAKER_COOL_DOWN = Duration.ofSeconds(5);

    /** The longest the demo's warm-up may take. */
    static final Duration WARM_UP_LIMIT = Duration.ofSeconds(5);

    private Main() {
    }

    /**
     * How to run the service.
     *
     * @param port        where to listen on loopback: 0 for any free port
     * @param downstreams the downstreams' base URIs, one per part; empty in demo mode
     * @param demo        whether to start the simulated downstreams ({@link Profiles#demo()}) in this process
     * @param budgets     the request's and each call's budget
     */
    public record Config(int port, Map<Part, URI> downstreams, boolean demo, Budgets budgets) {
        public Config {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            downstreams = Map.copyOf(downstreams);
            Objects.requireNonNull(budgets, "budgets");
            if (demo != downstreams.isEmpty() || (!demo && downstreams.size() != Part.values().length)) {
                throw new IllegalArgumentException("give either --demo or the four downstreams (--inventory, "
                        + "--pricing, --reviews, --recommendations), not both or some: " + downstreams.keySet());
            }
        }

        /** Demo mode: the simulated downstreams in this process, the standard budgets. */
        public static Config demo(int port) {
            return new Config(port, Map.of(), true, Budgets.standard());
        }

        /** The given downstreams, the standard budgets. */
        public static Config of(int port, Map<Part, URI> downstreams) {
            return new Config(port, downstreams, false, Budgets.standard());
        }

        /**
         * Parses {@code --port N} (default 8080), and {@code --demo} or all four of {@code --inventory URI},
         * {@code --pricing URI}, {@code --reviews URI}, {@code --recommendations URI}.
         *
         * @throws IllegalArgumentException with what is wrong, for people
         */
        public static Config parse(String... args) {
            int port = 8080;
            boolean demo = false;
            Map<Part, URI> downstreams = new EnumMap<>(Part.class);
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--demo")) {
                    demo = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown argument or missing value: " + arg);
                }
                String value = args[++i];
                if (arg.equals("--port")) {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a port: " + value);
                    }
                    continue;
                }
                Part part = partOf(arg).orElseThrow(() -> new IllegalArgumentException("unknown argument: " + arg));
                URI uri = URI.create(value);
                if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not an http:// base URI for " + arg + ": " + value);
                }
                downstreams.put(part, uri);
            }
            if (!demo && downstreams.isEmpty()) {
                throw new IllegalArgumentException("give --demo or the four downstreams' base URIs");
            }
            return new Config(port, downstreams, demo, Budgets.standard());
        }

        private static Optional<Part> partOf(String arg) {
            for (Part part : Part.values()) {
                if (arg.equals("--" + part.label())) {
                    return Optional.of(part);
                }
            }
            return Optional.empty();
        }
    }

    /** A running service: its base URI, its metrics, and {@link #close()} to stop it all. */
    public static final class Service implements AutoCloseable {
        private final URI baseUri;
        private final Map<Part, URI> downstreams;
        private final PrometheusMeterRegistry registry;
        private final Deque<AutoCloseable> resources;
        private final CountDownLatch closed = new CountDownLatch(1);
        private boolean closing; // guarded by this

        private Service(URI baseUri, Map<Part, URI> downstreams, PrometheusMeterRegistry registry,
                        Deque<AutoCloseable> resources) {
            this.baseUri = baseUri;
            this.downstreams = Map.copyOf(downstreams);
            this.registry = registry;
            this.resources = resources;
        }

        /** Where it listens, such as {@code http://127.0.0.1:8080}. */
        public URI baseUri() {
            return baseUri;
        }

        /** The downstreams it calls (the simulated ones in demo mode). */
        public Map<Part, URI> downstreams() {
            return downstreams;
        }

        /** The registry {@code /metrics} scrapes. */
        public PrometheusMeterRegistry registry() {
            return registry;
        }

        /** Waits until {@link #close()} has finished. */
        public void awaitClosed() throws InterruptedException {
            closed.await();
        }

        /**
         * Stops the server (requests in flight get its grace period), then closes the clients, the simulated
         * downstreams and the registry: the reverse of the order they were made in. Idempotent; when it returns, no
         * thread the service started is left.
         */
        @Override
        public void close() {
            synchronized (this) {
                if (closing) {
                    return;
                }
                closing = true;
            }
            try {
                closeAll(resources);
            } finally {
                closed.countDown();
            }
        }
    }

    /**
     * Starts the service: every piece built and wired, the server listening when this returns.
     *
     * @throws IOException if the server cannot listen on the port (in use?)
     */
    public static Service start(Config config) throws IOException {
        Objects.requireNonNull(config, "config");
        Deque<AutoCloseable> resources = new ArrayDeque<>(); // closed last-in first-out, as Go's defers
        try {
            Map<Part, URI> downstreams = config.downstreams();
            if (config.demo()) {
                SimulatedDownstreams simulated = SimulatedDownstreams.start(Profiles.demo());
                resources.push(simulated);
                Map<Part, URI> uris = new EnumMap<>(Part.class);
                for (Part part : Part.values()) {
                    uris.put(part, simulated.baseUri(part));
                }
                downstreams = uris;
            }
            Budgets budgets = config.budgets();

            // one client per downstream, shared by every request: its HttpClient keeps the connections open
            var inventory = DownstreamHttpClient.inventory(downstreams.get(Part.INVENTORY), budgets.of(Part.INVENTORY));
            resources.push(inventory);
            var pricing = DownstreamHttpClient.pricing(downstreams.get(Part.PRICING), budgets.of(Part.PRICING));
            resources.push(pricing);
            var reviews = DownstreamHttpClient.reviews(downstreams.get(Part.REVIEWS), budgets.of(Part.REVIEWS));
            resources.push(reviews);
            var recommendations = DownstreamHttpClient.recommendations(downstreams.get(Part.RECOMMENDATIONS),
                    budgets.of(Part.RECOMMENDATIONS));
            resources.push(recommendations);

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.push(registry::close);
            MeteredPorts metered = new MeteredPorts(registry);
            Breakers breakers = new Breakers(BREAKER_FAILURES, BREAKER_COOL_DOWN, System::nanoTime);

            ProductPages service = new ProductPageService(
                    metered.inventory(breakers.inventory(inventory::fetch)),
                    metered.pricing(breakers.pricing(pricing::fetch)),
                    metered.reviews(breakers.reviews(reviews::fetch)),
                    metered.recommendations(breakers.recommendations(recommendations::fetch)),
                    new DegradationPolicy(), budgets, Scheduler.system());

            if (config.demo()) {
                // the demo's first curl should not meet a cold JVM: a few pages through the same clients and the
                // same use case code, without breakers, metrics or logs, before the server listens
                warmUp(new ProductPageService(inventory::fetch, pricing::fetch, reviews::fetch,
                        recommendations::fetch, new DegradationPolicy(), budgets, Scheduler.system()),
                        WARM_UP_LIMIT);
            }

            RequestLog log = new RequestLog(LoggerFactory.getLogger(REQUEST_LOGGER), System::nanoTime);
            Handler products = new ProductEndpoint(log.notingDecisions(metered.pages(service)));
            Handler routes = Handler.route("/metrics", metrics(registry::scrape), products);
            WebServer server = WebServer.start(log.wrap(routes), WebServer.Options.defaults().withPort(config.port()));
            resources.push(server);
            return new Service(server.uri(), downstreams, registry, resources);
        } catch (IOException | RuntimeException | Error e) {
            try {
                closeAll(resources);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Loads pages until ten in a row are served, for at most {@code limit}: class loading, the JIT and the clients'
     * connections happen here rather than in the first requests' budgets. Whatever goes wrong only ends the warm-up.
     */
    static void warmUp(ProductPages pages, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        int served = 0;
        for (int i = 0; served < 10 && System.nanoTime() < deadline; i++) {
            try {
                PageDecision decision = pages.load(new ProductId("p-" + (1 + i % 50)));
                served = decision instanceof PageDecision.Serve ? served + 1 : 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                return; // not solved yet, or broken: the requests will say so
            }
        }
    }

    /** {@code GET /metrics}: the registry's scrape in Prometheus' text format. */
    static Handler metrics(Supplier<String> scrape) {
        return request -> request.method().equals("GET")
                ? Response.of(200, "text/plain; version=0.0.4; charset=utf-8",
                        scrape.get().getBytes(StandardCharsets.UTF_8))
                : Response.text(405, "GET only\n").withHeader("Allow", "GET");
    }

    /** Closes every resource, newest first; the first failure is thrown after all were tried, the rest suppressed. */
    private static void closeAll(Deque<AutoCloseable> resources) {
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the service failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Runs the service until the JVM is told to stop (ctrl-C, SIGTERM): {@code --help} lists the arguments. */
    public static void main(String[] args) throws IOException, InterruptedException {
        PrintStream out = System.out;
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(usage());
            return;
        }
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("aggregation: " + e.getMessage() + "\n" + usage());
            System.exit(2);
            return;
        }
        Service service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "aggregation-shutdown"));
        URI base = service.baseUri();
        if (config.demo()) {
            out.println("simulated downstreams (demo): " + service.downstreams());
        }
        out.println("aggregation service listening on " + base + " (ctrl-C stops it)");
        out.println("try:  curl -i " + base + "/products/p-1");
        out.println("      curl -s " + base + "/metrics | grep ^aggregation_");
        out.flush();
        service.awaitClosed(); // the server's threads are virtual (daemon): main keeps the JVM alive until stopped
    }

    private static String usage() {
        return String.join("\n",
                "usage: Main [--port N] --demo",
                "       Main [--port N] --inventory URI --pricing URI --reviews URI --recommendations URI",
                "  --port N    where to listen on loopback (default 8080; 0 picks a free port)",
                "  --demo      start simulated downstreams in this process",
                "  --" + String.join(" URI, --", Part.INVENTORY.label(), Part.PRICING.label(), Part.REVIEWS.label(),
                        Part.RECOMMENDATIONS.label()).toLowerCase(Locale.ROOT)
                        + " URI   the downstreams' base URIs, such as http://127.0.0.1:8081");
    }
}
