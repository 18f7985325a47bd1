package workshop.scenarios.deploy;

import workshop.scenarios.deploy.adapter.source.SlowSource;
import workshop.scenarios.deploy.adapter.web.CatalogServer;
import workshop.scenarios.deploy.application.ProcessExit;
import workshop.scenarios.deploy.application.Readiness;
import workshop.scenarios.deploy.application.ShutdownSequence;
import workshop.scenarios.deploy.application.WarmCache;
import workshop.scenarios.deploy.domain.ServiceContract;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The catalog service's composition root, Go's {@code cmd/catalog/main.go}: an HTTP service whose in-memory cache
 * warms from a slow source, with {@code /live}, {@code /ready}, {@code GET /items/{id}} and a SIGTERM that drains.
 *
 * <pre>{@code
 * java -cp ... workshop.scenarios.deploy.Main --port 0 --version v2 --warm-up-ms 3000 \
 *      --pre-stop-ms 5000 --drain-ms 20000 --work-ms 20
 * }</pre>
 *
 * <p>It prints {@code catalog <version> listening on http://127.0.0.1:<port>} as soon as it answers {@code /live},
 * {@code catalog <version> ready} once its cache is warm, and {@code catalog <version> stopped} when a SIGTERM's
 * {@link ShutdownSequence} has run; then the process ends with 0 (1 if requests had to be cut after the drain).
 *
 * <p><b>How a JVM ends with 0 after SIGTERM.</b> SIGTERM starts the JVM's shutdown sequence: it runs the shutdown
 * hooks, and then the process ends with 143 (128 + 15) unless something else decides. The hook here runs the
 * shutdown sequence (the server's threads serve on meanwhile) and ends with {@code Runtime.halt(status)}.
 * {@code System.exit(0)} inside a hook would never return: the JVM is already exiting, so it blocks, the hook never
 * ends, and the process hangs until the platform's SIGKILL ({@code Runtime.exit}'s Javadoc in JDK 25; measured: see
 * the README). {@code halt} ends the process at once, with the status given and without waiting for other hooks:
 * this service has no other hook, and everything it must finish is finished by then. Go's process ends with whatever
 * {@code main} returns after {@code srv.Shutdown}, because {@code signal.NotifyContext} takes SIGTERM away from the
 * runtime's default; Java's nearest equivalent, {@code sun.misc.Signal.handle}, is an unsupported API.
 */
public final class Main {

    /** How many items the simulated source has. */
    static final int ITEMS = 100;

    /** How long the cache waits after a failed warm-up before the next. */
    static final Duration WARM_UP_RETRY = Duration.ofSeconds(1);

    private Main() {
    }

    /**
     * How to run the service.
     *
     * @param port     where to listen: 0 for any free port
     * @param bind     the address to listen on: loopback unless {@code --bind} says otherwise (in a pod, the kubelet
     *                 probes the pod's own address, so the manifest passes {@code --bind 0.0.0.0})
     * @param version  what the version header says
     * @param contract the warm-up, the preStop delay and the drain timeout
     * @param work     how long each {@code GET /items/{id}} takes
     */
    public record Config(int port, InetAddress bind, String version, ServiceContract contract, Duration work) {
        public Config {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(version, "version");
            if (!version.matches("[A-Za-z0-9._-]{1,32}")) {
                throw new IllegalArgumentException("not a version (1 to 32 of A-Z a-z 0-9 . _ -): " + version);
            }
            Objects.requireNonNull(contract, "contract");
            if (work.isNegative()) {
                throw new IllegalArgumentException("negative work: " + work);
            }
        }

        /**
         * Parses {@code --port P} (default 8080), {@code --bind ADDRESS} (default loopback), {@code --version V} (default {@code v1}), {@code --warm-up-ms N},
         * {@code --pre-stop-ms N}, {@code --drain-ms N} (defaults: {@link ServiceContract#PRODUCTION}) and
         * {@code --work-ms N} (default 20).
         *
         * @throws IllegalArgumentException with what is wrong, for people
         */
        public static Config parse(String... args) {
            int port = 8080;
            InetAddress bind = InetAddress.getLoopbackAddress();
            String version = "v1";
            ServiceContract production = ServiceContract.PRODUCTION;
            long warmUp = production.warmUp().toMillis();
            long preStop = production.preStopDelay().toMillis();
            long drain = production.drainTimeout().toMillis();
            long work = 20;
            for (int i = 0; i < args.length; i += 2) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown argument or missing value: " + arg);
                }
                String value = args[i + 1];
                switch (arg) {
                    case "--port" -> port = (int) number(arg, value);
                    case "--bind" -> bind = address(value);
                    case "--version" -> version = value;
                    case "--warm-up-ms" -> warmUp = number(arg, value);
                    case "--pre-stop-ms" -> preStop = number(arg, value);
                    case "--drain-ms" -> drain = number(arg, value);
                    case "--work-ms" -> work = number(arg, value);
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            return new Config(port, bind, version, new ServiceContract(Duration.ofMillis(preStop), Duration.ofMillis(drain),
                    Duration.ofMillis(warmUp)), Duration.ofMillis(work));
        }

        private static InetAddress address(String value) {
            if (!value.matches("[0-9.]+|[0-9a-fA-F:]+|localhost")) { // a literal: no name lookup at start
                throw new IllegalArgumentException("not an IP address for --bind: " + value);
            }
            try {
                return InetAddress.getByName(value);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address for --bind: " + value);
            }
        }

        private static long number(String arg, String value) {
            try {
                long n = Long.parseLong(value);
                if (n < 0) {
                    throw new IllegalArgumentException("negative " + arg + ": " + value);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number for " + arg + ": " + value);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("catalog: " + e.getMessage());
            System.err.println("usage: Main [--port P] [--bind ADDRESS] [--version V] [--warm-up-ms N] [--pre-stop-ms N] "
                    + "[--drain-ms N] [--work-ms N]");
            System.exit(2);
            return;
        }
        try {
            run(config, System.out);
        } catch (IOException | RuntimeException e) {
            System.err.println("catalog " + config.version() + " failed to start: " + e);
            e.printStackTrace();
            System.exit(1); // the server's thread, if it started, would keep the JVM alive
        }
    }

    /** Wires and starts the service, and registers the shutdown hook that runs its shutdown sequence on SIGTERM. */
    static void run(Config config, PrintStream out) throws IOException {
        String name = "catalog " + config.version();
        ServiceContract contract = config.contract();
        WarmCache cache = new WarmCache(new SlowSource(ITEMS, contract.warmUp()), Thread::sleep, WARM_UP_RETRY);
        Readiness readiness = new Readiness(cache::ready);
        cache.start(); // returns at once: the cache warms in the background while the server answers /live
        CatalogServer server = CatalogServer.start(config.bind(), config.port(), config.version(),
                readiness::ready, cache::lookup, config.work());
        out.println(name + " listening on " + server.uri());
        Thread.ofVirtual().name("catalog-ready-line").start(() -> {
            try {
                cache.awaitReady();
                out.println(name + " ready");
            } catch (InterruptedException e) {
                // the process is ending before the cache warmed
            }
        });

        ProcessExit exit = status -> {
            cache.close();
            out.println(name + " stopped" + (status == 0 ? "" : " (requests cut after the drain timeout)"));
            out.flush();
            Runtime.getRuntime().halt(status); // not System.exit: inside a shutdown hook it would block for ever
        };
        ShutdownSequence shutdown = new ShutdownSequence(contract, readiness, server, Thread::sleep, exit);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("catalog-shutdown").unstarted(() -> {
            out.println(name + " shutting down: not ready, serving for " + contract.preStopDelay().toMillis()
                    + " ms, then draining for up to " + contract.drainTimeout().toMillis() + " ms");
            try {
                shutdown.run();
            } catch (InterruptedException | RuntimeException e) {
                out.println(name + " shutdown failed: " + e);
                out.flush();
                Runtime.getRuntime().halt(1);
            }
        }));
    }
}
