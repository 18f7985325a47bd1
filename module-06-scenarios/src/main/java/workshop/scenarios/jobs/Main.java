package workshop.scenarios.jobs;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import sun.misc.Signal;
import workshop.scenarios.jobs.adapter.api.HttpExternalApi;
import workshop.scenarios.jobs.adapter.metrics.JobMetrics;
import workshop.scenarios.jobs.adapter.metrics.MetricsEndpoint;
import workshop.scenarios.jobs.adapter.postgres.PostgresJobQueue;
import workshop.scenarios.jobs.adapter.sqlite.SqliteJobQueue;
import workshop.scenarios.jobs.application.JobHandler;
import workshop.scenarios.jobs.application.JobProcessor;
import workshop.scenarios.jobs.application.JobQueue;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.RetryPolicy;
import workshop.scenarios.jobs.downstreams.FakeApi;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The job processor's composition root, Go's {@code cmd/jobs/main.go}: it parses the command line, opens the queue
 * (an SQLite file, or PostgreSQL for many processes), builds the API client, the handler, the worker pool and the
 * metrics, and runs until SIGTERM (or ctrl-C), which stops the pool with a 10 s deadline: in-flight jobs finish,
 * the rest are released to the queue. Then it exits 0.
 *
 * <pre>{@code
 * java --enable-preview -cp ... workshop.scenarios.jobs.Main --db jobs.db --api http://127.0.0.1:8090 --workers 100
 * java --enable-preview -cp ... workshop.scenarios.jobs.Main --postgres jdbc:postgresql://127.0.0.1:5432/jobs \
 *      --user jobs --password secret --api http://127.0.0.1:8090
 * java --enable-preview -cp ... workshop.scenarios.jobs.Main --db jobs.db --fake-api --enqueue 1000   # a demo
 * }</pre>
 *
 * <p>It prints {@code jobs processor ready (workers=N, metrics http://127.0.0.1:PORT/metrics)} once the pool runs,
 * a line {@code processed <done> done, <dead> dead} (the queue's counts) whenever they changed, at most once a
 * second, and {@code jobs processor stopped (released R, drained in time: B)} at the end.
 *
 * <p>SIGTERM is caught with a signal handler, Go's {@code signal.NotifyContext(ctx, syscall.SIGTERM)}: the JVM does
 * not start its shutdown, {@code main} runs the stop sequence and returns, so the exit code is 0 rather than the
 * 143 of a JVM ended by the signal.
 */
public final class Main {

    /** How long the pool's stop waits for in-flight jobs on SIGTERM. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

    /** How often the progress line may be printed. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private Main() {
    }

    /**
     * The command line.
     *
     * @param db          the SQLite file, or empty with {@code postgres}
     * @param postgres    the PostgreSQL JDBC URL, or empty with {@code db}
     * @param user        PostgreSQL's user
     * @param password    PostgreSQL's password
     * @param api         the external API's base URI, or empty with {@code fakeApi}
     * @param fakeApi     whether to start the simulated API in this process (a demo)
     * @param workers     the worker count: at least 1
     * @param metricsPort where {@code /metrics} listens on loopback: 0 for any free port
     * @param enqueue     how many demo jobs to enqueue at start ({@code job-1} ... ; ids already there are ignored)
     */
    public record Config(Optional<Path> db, Optional<String> postgres, String user, String password,
                         Optional<URI> api, boolean fakeApi, int workers, int metricsPort, int enqueue) {

        public Config {
            Objects.requireNonNull(db, "db");
            Objects.requireNonNull(postgres, "postgres");
            Objects.requireNonNull(api, "api");
            if (db.isPresent() == postgres.isPresent()) {
                throw new IllegalArgumentException("give either --db <file> or --postgres <jdbc-url>, one of them");
            }
            if (api.isPresent() == fakeApi) {
                throw new IllegalArgumentException("give either --api <url> or --fake-api, one of them");
            }
            if (workers < 1) {
                throw new IllegalArgumentException("--workers must be at least 1: " + workers);
            }
            if (metricsPort < 0 || metricsPort > 65535) {
                throw new IllegalArgumentException("not a port: " + metricsPort);
            }
            if (enqueue < 0) {
                throw new IllegalArgumentException("--enqueue must not be negative: " + enqueue);
            }
        }

        /**
         * Parses the arguments (see {@link #usage()}).
         *
         * @throws IllegalArgumentException with what is wrong, for people
         */
        public static Config parse(String... args) {
            Optional<Path> db = Optional.empty();
            Optional<String> postgres = Optional.empty();
            String user = "";
            String password = "";
            Optional<URI> api = Optional.empty();
            boolean fakeApi = false;
            int workers = 100;
            int metricsPort = 0;
            int enqueue = 0;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--fake-api")) {
                    fakeApi = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown argument or missing value: " + arg);
                }
                String value = args[++i];
                switch (arg) {
                    case "--db" -> db = Optional.of(Path.of(value));
                    case "--postgres" -> postgres = Optional.of(value);
                    case "--user" -> user = value;
                    case "--password" -> password = value;
                    case "--api" -> {
                        URI uri = URI.create(value);
                        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                            throw new IllegalArgumentException("not an http:// base URI for --api: " + value);
                        }
                        api = Optional.of(uri);
                    }
                    case "--workers" -> workers = number(arg, value);
                    case "--metrics-port" -> metricsPort = number(arg, value);
                    case "--enqueue" -> enqueue = number(arg, value);
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            return new Config(db, postgres, user, password, api, fakeApi, workers, metricsPort, enqueue);
        }

        private static int number(String arg, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number for " + arg + ": " + value);
            }
        }
    }

    /** The queue Main opened, with the given methods both adapters have beside the port. */
    private record OpenedQueue(JobQueue queue, AutoCloseable closer, Supplier<long[]> doneAndDead,
                               java.util.function.Consumer<List<Job>> enqueue) {
    }

    private static OpenedQueue open(Config config, InstantSource clock) {
        if (config.db().isPresent()) {
            SqliteJobQueue sqlite = SqliteJobQueue.open(config.db().get(), clock);
            return new OpenedQueue(sqlite, sqlite, () -> {
                var counts = sqlite.counts();
                return new long[]{counts.done(), counts.dead()};
            }, sqlite::enqueue);
        }
        PostgresJobQueue postgres = PostgresJobQueue.open(config.postgres().get(), config.user(), config.password(),
                clock);
        return new OpenedQueue(postgres, postgres, () -> {
            var counts = postgres.counts();
            return new long[]{counts.done(), counts.dead()};
        }, postgres::enqueue);
    }

    /** Runs the processor until SIGTERM or ctrl-C; {@code --help} lists the arguments. */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(usage());
            return;
        }
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jobs: " + e.getMessage() + "\n" + usage());
            System.exit(2);
            return;
        }
        // Go's signal.NotifyContext: the signals only ask main to stop; main runs the stop sequence itself
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());

        Deque<AutoCloseable> resources = new ArrayDeque<>(); // closed last-in first-out, as Go's defers
        try {
            InstantSource clock = InstantSource.system();
            OpenedQueue opened = open(config, clock);
            resources.push(opened.closer());
            if (config.enqueue() > 0) {
                opened.enqueue().accept(demoJobs(config.enqueue()));
            }
            URI apiUri;
            if (config.fakeApi()) {
                FakeApi fake = FakeApi.start(FakeApi.Settings.DEFAULT.withFailureRate(0.1));
                resources.push(fake);
                apiUri = fake.uri();
            } else {
                apiUri = config.api().orElseThrow();
            }
            HttpExternalApi api = new HttpExternalApi(apiUri, HttpExternalApi.DEFAULT_TIMEOUT);
            resources.push(api);

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.push(registry::close);
            JobMetrics metrics = new JobMetrics(registry);
            JobQueue queue = metrics.queue(opened.queue());
            metrics.queueDepth(queue::depth);
            JobHandler handler = new JobHandler(metrics.api(api), queue, RetryPolicy.DEFAULT,
                    () -> ThreadLocalRandom.current().nextDouble());
            JobProcessor processor = new JobProcessor(queue, metrics.worker(handler),
                    JobProcessor.Settings.of(config.workers()));
            resources.push(processor); // if anything below fails: close() stops it with no grace
            MetricsEndpoint endpoint = MetricsEndpoint.start(config.metricsPort(), registry::scrape);
            resources.push(endpoint);

            processor.start();
            out.println("jobs processor ready (workers=" + config.workers() + ", metrics " + endpoint.uri() + ")");
            out.flush();
            long[] last = {-1, -1};
            while (!stopRequested.await(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                last = progress(out, opened.doneAndDead(), last);
            }
            out.println("jobs processor stopping (in flight: " + processor.inFlight() + ")");
            out.flush();
            JobProcessor.Stopped stopped = processor.stop(STOP_DEADLINE);
            progress(out, opened.doneAndDead(), last);
            out.println("jobs processor stopped (released " + stopped.released() + ", drained in time: "
                    + stopped.drainedInTime() + ")");
            out.flush();
        } finally {
            closeAll(resources);
        }
    }

    /** Prints the queue's done and dead counts if they changed since {@code last}; returns them. */
    private static long[] progress(PrintStream out, Supplier<long[]> doneAndDead, long[] last) {
        long[] now = doneAndDead.get();
        if (now[0] != last[0] || now[1] != last[1]) {
            out.println("processed " + now[0] + " done, " + now[1] + " dead");
            out.flush();
        }
        return now;
    }

    /** {@code job-1} to {@code job-n}, each with a small payload. */
    static List<Job> demoJobs(int n) {
        List<Job> jobs = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            jobs.add(new Job(new JobId("job-" + i), "payload " + i, 0));
        }
        return jobs;
    }

    /** Closes every resource, newest first; the first failure is thrown after all were tried, the rest suppressed. */
    private static void closeAll(Deque<AutoCloseable> resources) {
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the processor failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    static String usage() {
        return String.join("\n",
                "usage: Main (--db FILE | --postgres JDBC-URL --user U --password P) (--api URL | --fake-api)",
                "            [--workers N] [--metrics-port P] [--enqueue N]",
                "  --db FILE           the queue in an SQLite file (one process)",
                "  --postgres URL      the queue in PostgreSQL (many processes), with --user and --password",
                "  --api URL           the external API's base URL, such as http://127.0.0.1:8090",
                "  --fake-api          start the simulated API in this process instead (a demo: 10% failures)",
                "  --workers N         the worker count (default 100: the API's limit of concurrent calls)",
                "  --metrics-port P    where /metrics listens on loopback (default 0: any free port)",
                "  --enqueue N         enqueue demo jobs job-1 ... job-N at start (ids already there are ignored)");
    }
}
