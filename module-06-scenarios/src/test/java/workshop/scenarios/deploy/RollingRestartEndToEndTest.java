package workshop.scenarios.deploy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.scenarios.deploy.ChildJvmPlatform.ChildInstance;
import workshop.scenarios.deploy.application.Instance;
import workshop.scenarios.deploy.application.RollingRestart;
import workshop.scenarios.deploy.application.RollingRestart.Deployed;
import workshop.scenarios.deploy.application.RollingRestart.Result;
import workshop.scenarios.deploy.application.RollingRestart.RolledBack;
import workshop.scenarios.deploy.application.RollingRestart.Settings;
import workshop.scenarios.deploy.application.Ticker;
import workshop.scenarios.deploy.downstreams.ReadyOnlyFront;
import workshop.scenarios.deploy.lab.ConstantLoad;
import workshop.support.TimeLimit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rolling restart for real: the catalog service ({@link Main}, with the reference of 06.18 and 06.19 or yours) in
 * child JVMs behind a {@link ReadyOnlyFront}, a constant-rate load through the front, and {@link RollingRestart} doing
 * v1 to v2, then a v3 that never warms.
 */
@Tag("06.20")
@Tag("end-to-end") // a whole service in child JVMs: run by ./mvnw test, left out of each wrong answer's check
@DisplayName("06.20 Rolling restart, or roll back, end to end")
class RollingRestartEndToEndTest {

    /**
     * Short timings: a second to warm, a second of preStop (the front takes an instance out after 3 failed probes, 100
     * ms apart), up to 3 s of drain, 50 ms a request.
     */
    private static final List<String> SERVICE = List.of("--warm-up-ms", "1000", "--pre-stop-ms", "1000",
            "--drain-ms", "3000", "--work-ms", "50");
    private static final Duration FRONT_PROBES = Duration.ofMillis(100);
    private static final double RATE = 40;
    /** The deploy's settings: a JVM starts and warms in 2-3 s on a busy 2-core machine; the never-ready v3 gets 5 s. */
    private static final Settings DEPLOY = new Settings(Duration.ofSeconds(20), Duration.ofMillis(100),
            Duration.ofSeconds(8));
    private static final Settings ROLL_BACK = new Settings(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(8));

    @TempDir
    Path logs;

    @Test
    @TimeLimit(seconds = 90)
    @DisplayName("v1 to v2 under load fails no request, and a v3 that never gets ready is rolled back while v2 serves")
    void rollsAndRollsBack() throws Exception {
        // the exercise first, with nothing to replace: a stub fails here at once, before any child JVM starts
        new RollingRestart(version -> {
            throw new AssertionError("[06.20] nothing to replace, yet roll(...) started an instance (README 06.20)");
        }, DEPLOY, Ticker.system()).roll(List.of(), "v0");
        try (ReadyOnlyFront front = ReadyOnlyFront.start(ReadyOnlyFront.Routing.READY_ONLY, FRONT_PROBES, 3);
             ChildJvmPlatform platform = new ChildJvmPlatform(logs, front, SERVICE)) {
            platform.options("v3", List.of("--warm-up-ms", "600000")); // a cache that never warms in this test
            List<Instance> v1 = List.of(platform.start("v1"), platform.start("v1"));
            await("[06.20] the two v1 instances ready behind the front").atMost(Duration.ofSeconds(30))
                    .until(() -> front.ready().size() == 2);

            Result deployed;
            Result rolledBack;
            ConstantLoad.Report report;
            long rollBackNanos;
            try (ConstantLoad load = ConstantLoad.start(front.uri(), RATE)) {
                deployed = new RollingRestart(platform, DEPLOY, Ticker.system()).roll(v1, "v2");
                long rollBackStart = System.nanoTime();
                rolledBack = new RollingRestart(platform, ROLL_BACK, Ticker.system())
                        .roll(deployed.serving(), "v3");
                rollBackNanos = System.nanoTime() - rollBackStart;
                Thread.sleep(500); // the open model: a few more requests after the roll-back, due at their times
                report = load.stop();
            }

            String children = platform.instances().stream().map(ChildInstance::describe)
                    .collect(Collectors.joining("\n"));
            assertThat(deployed).as("[06.20] v2 warms in a second: the rolling restart should deploy it, it "
                    + "returned %s; the instances:\n%s\n(README 06.20)", deployed, children).isInstanceOf(Deployed.class);
            assertThat(report.failed()).as("[06.20] %d of %d requests through the front failed during the rolling "
                    + "restart and the roll-back, expected none; the first ones: %s; the instances:\n%s\n"
                    + "(README 06.20)", report.failed(), report.sent(), report.failures(), children).isZero();
            assertThat(report.byVersion().keySet()).as("[06.20] who answered: %s; v3 never got ready, so it must "
                    + "never answer (README 06.20)", report.byVersion()).containsExactlyInAnyOrder("v1", "v2");
            assertThat(report.lastVersion()).as("[06.20] after the deploy and the roll-back, v2 should answer "
                    + "(README 06.20)").isEqualTo("v2");
            assertThat(rolledBack).as("[06.20] v3 never warms: the rolling restart should roll back, it returned "
                    + "%s (README 06.20)", rolledBack).isInstanceOf(RolledBack.class);
            assertThat(rolledBack.serving().stream().map(Instance::version).toList()).as("[06.20] after the "
                    + "roll-back the two v2 instances serve (README 06.20)").containsExactly("v2", "v2");
            // the deploy's promise is a roll-back within 60 s; the bound is that, not the 5 s deadline plus a margin,
            // because starting the v3 JVM alone took up to 27 s on a loaded 2-core machine
            assertThat(Duration.ofNanos(rollBackNanos)).as("[06.20] a version that never becomes ready should be "
                    + "rolled back within 60 s (its deadline here is %d s), it took %d ms (README 06.20)",
                    ROLL_BACK.readyDeadline().toSeconds(), rollBackNanos / 1_000_000)
                    .isLessThan(Duration.ofSeconds(60));
            for (ChildInstance instance : platform.instances()) {
                boolean replacedOrRolledBack = !instance.version.equals("v2");
                if (replacedOrRolledBack) {
                    assertThat(instance.exitCode).as("[06.20] %s was stopped with SIGTERM: it should have drained "
                            + "and exited 0 within the grace period; %s (README 06.20)", instance.name,
                            instance.describe()).isEqualTo(Optional.of(0));
                }
            }
            assertThat(front.counts().noBackend()).as("[06.20] the front never lacked a ready backend "
                    + "(README 06.20)").isZero();
        }
    }
}
