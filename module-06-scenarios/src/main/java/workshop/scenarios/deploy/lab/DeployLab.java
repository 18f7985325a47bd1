package workshop.scenarios.deploy.lab;

import workshop.scenarios.deploy.application.Instance;
import workshop.scenarios.deploy.application.RollingRestart;
import workshop.scenarios.deploy.application.Ticker;
import workshop.scenarios.deploy.downstreams.ReadyOnlyFront;
import workshop.scenarios.deploy.downstreams.ReadyOnlyFront.Routing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Module 06 deploy lab: why each safeguard of a zero-downtime deploy exists. A rolling restart v1 to v2 of
 * {@value #INSTANCES} catalog instances (each in a process of its own, {@link ProcessPlatform}) behind a
 * {@link ReadyOnlyFront}, under a constant-rate load ({@link ConstantLoad}, {@value #RATE} requests a second), is
 * run once with every safeguard, then once with each removed in turn:
 * <ul>
 * <li><b>no preStop delay</b>: the instance stops accepting as soon as SIGTERM comes, while the front, which
 *     probes every {@code FRONT_PROBES}, still sends it requests: they are refused;</li>
 * <li><b>no drain</b>: the instance closes at once when it stops accepting, and the requests it was still answering
 *     are cut (a request takes longer than the preStop delay here);</li>
 * <li><b>no readiness in the front</b>: the front routes to every instance that listens, the cold ones too, which
 *     answer 503.</li>
 * </ul>
 * It prints, per case, the requests sent, the failed ones by kind, and how long the deploy took. Service logs in
 * {@value #OUT}. Environment: {@code DEPLOY_LAB_RUNS} (runs per case, default 1).
 *
 * <p>Run: {@value #REPRODUCE}
 */
public final class DeployLab {

    static final String REPRODUCE = "./mvnw -q -Plab -Psolutions -DskipTests verify -pl module-06-scenarios -am "
            + "-Dworkshop.lab.main=workshop.scenarios.deploy.lab.DeployLab";
    static final String OUT = "target/deploy-lab";
    static final int INSTANCES = 2;
    static final double RATE = 40;
    static final Duration FRONT_PROBES = Duration.ofMillis(250);
    /** Failed probes in a row before the front takes an instance out: the front takes 0.5 to 0.75 s to notice. */
    static final int FAILURE_THRESHOLD = 2;
    static final long WARM_UP_MS = 2000;
    static final long PRE_STOP_MS = 1000;
    static final long DRAIN_MS = 5000;
    static final long WORK_MS = 1200;
    static final RollingRestart.Settings SETTINGS = new RollingRestart.Settings(Duration.ofSeconds(30),
            Duration.ofMillis(200), Duration.ofMillis(PRE_STOP_MS + DRAIN_MS + 3000));

    /** One way to run the deploy: the service's timings and the front's routing. */
    record Case(String name, long preStopMs, long drainMs, Routing routing) {
        List<String> options() {
            return List.of("--warm-up-ms", Long.toString(WARM_UP_MS), "--pre-stop-ms", Long.toString(preStopMs),
                    "--drain-ms", Long.toString(drainMs), "--work-ms", Long.toString(WORK_MS));
        }
    }

    static final List<Case> CASES = List.of(
            new Case("every safeguard", PRE_STOP_MS, DRAIN_MS, Routing.READY_ONLY),
            new Case("no preStop delay", 0, DRAIN_MS, Routing.READY_ONLY),
            new Case("no drain", PRE_STOP_MS, 0, Routing.READY_ONLY),
            new Case("no readiness in the front", PRE_STOP_MS, DRAIN_MS, Routing.ALL));

    private DeployLab() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("DEPLOY_LAB_RUNS", "1"));
        System.out.printf(Locale.ROOT, "Deploy lab: a rolling restart v1 -> v2 of %d instances under %.0f req/s "
                        + "through a front that probes /ready every %d ms (out after %d failures)%n  service: warm-up %d ms, preStop %d ms, "
                        + "drain %d ms, %d ms a request; %d run(s) per case; logs in %s%n  reproduce: %s%n%n",
                INSTANCES, RATE, FRONT_PROBES.toMillis(), FAILURE_THRESHOLD, WARM_UP_MS, PRE_STOP_MS, DRAIN_MS, WORK_MS, runs, OUT,
                REPRODUCE);
        System.out.printf(Locale.ROOT, "%-27s %5s %6s %7s  %-58s %8s%n", "case", "sent", "failed", "share",
                "failed by kind", "deploy");
        for (Case c : CASES) {
            for (int run = 1; run <= runs; run++) {
                Row row = run(c, Path.of(OUT, c.name().replace(' ', '-') + "-" + run));
                System.out.printf(Locale.ROOT, "%-27s %5d %6d %6.1f%%  %-58s %7.1fs%n", c.name(), row.report.sent(),
                        row.report.failed(), 100.0 * row.report.failed() / Math.max(1, row.report.sent()),
                        row.report.failuresByKind().isEmpty() ? "-" : row.report.failuresByKind().toString(),
                        row.deploySeconds);
                if (!row.report.failures().isEmpty()) {
                    System.out.println("    e.g. " + row.report.failures().getFirst());
                }
                if (!(row.result instanceof RollingRestart.Deployed)) {
                    System.out.println("  the deploy did not complete: " + row.result);
                }
            }
        }
    }

    private record Row(ConstantLoad.Report report, RollingRestart.Result result, double deploySeconds) {
    }

    private static Row run(Case c, Path logs) throws Exception {
        try (ReadyOnlyFront front = ReadyOnlyFront.start(c.routing(), FRONT_PROBES, FAILURE_THRESHOLD);
             ProcessPlatform platform = new ProcessPlatform(logs, front, c.options())) {
            List<Instance> v1 = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                v1.add(platform.start("v1"));
            }
            for (Instance instance : v1) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!instance.ready()) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException(instance.name() + " not ready within 30 s");
                    }
                    Thread.sleep(100);
                }
            }
            Thread.sleep(2 * FRONT_PROBES.toMillis()); // the front has probed both
            try (ConstantLoad load = ConstantLoad.start(front.uri(), RATE)) {
                Thread.sleep(1000); // a second of steady state before the deploy
                long start = System.nanoTime();
                RollingRestart.Result result = new RollingRestart(platform, SETTINGS, Ticker.system()).roll(v1, "v2");
                double seconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(1000); // and one after it
                ConstantLoad.Report report = load.stop();
                for (Instance instance : result.serving()) {
                    instance.stop(SETTINGS.terminationGrace());
                }
                return new Row(report, result, seconds);
            }
        }
    }
}
