package workshop.scenarios.deploy.application;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.19")
@DisplayName("06.19 SIGTERM: unready, wait, drain, exit")
class ShutdownSequenceTest {

    /** Timings no other number in the test shares, so that a message can say which was used where. */
    private static final ServiceContract CONTRACT =
            new ServiceContract(Duration.ofMillis(5_300), Duration.ofMillis(19_700), Duration.ofMillis(3_100));

    /** One step the sequence took, on one of its ports, and whether /ready answered 200 at the time. */
    private record Step(String what, Duration duration, int status, boolean readyAtTheTime) {
        @Override
        public String toString() {
            return switch (what) {
                case "pause" -> "pause(" + duration.toMillis() + " ms)";
                case "shutdown" -> "server.shutdown(" + duration.toMillis() + " ms)";
                case "exit" -> "exit(" + status + ")";
                default -> what;
            } + (readyAtTheTime ? " while /ready said 200" : "");
        }
    }

    private final List<Step> steps = new CopyOnWriteArrayList<>();
    private final Readiness readiness = new Readiness(() -> true);
    /** What the fake server's shutdown answers: whether every request finished in time. */
    private volatile boolean drainsInTime = true;
    /** Whether the fake server has a request that never finishes: then only a bounded drain returns. */
    private volatile boolean stuckRequest;
    /** Whether the pause waits until interrupted. */
    private volatile boolean pauseWaits;

    private final Pause pause = duration -> {
        steps.add(new Step("pause", duration, 0, readiness.ready()));
        if (pauseWaits) {
            new CountDownLatch(1).await();
        }
    };

    private final ServerPort server = drainTimeout -> {
        steps.add(new Step("shutdown", drainTimeout, 0, readiness.ready()));
        if (stuckRequest && drainTimeout.compareTo(CONTRACT.drainTimeout()) > 0) {
            new CountDownLatch(1).await(); // a stuck request, and no deadline that the test would live to see
        }
        return drainsInTime && !stuckRequest;
    };

    private final ProcessExit exit = status -> steps.add(new Step("exit", Duration.ZERO, status, readiness.ready()));

    private final ShutdownSequence sequence = new ShutdownSequence(CONTRACT, readiness, server, pause, exit);

    private String described() {
        return steps.isEmpty() ? "no step at all" : steps.stream().map(Step::toString).collect(Collectors.joining(", "));
    }

    private List<String> names() {
        return steps.stream().map(Step::what).toList();
    }

    @Nested
    @DisplayName("when every request finishes in time")
    class Clean {

        @Test
        @DisplayName("readiness drops first, the service serves on for the preStop delay, drains within the timeout, "
                + "then exits 0")
        void inOrder() throws InterruptedException {
            sequence.run();

            assertThat(readiness.ready()).as("[06.19] after the shutdown /ready still answers 200 (steps: %s): the "
                    + "fronts keep sending requests to a service that is going away; drop readiness first "
                    + "(README 06.19)", described()).isFalse();
            assertThat(names()).as("[06.19] the steps were: %s: the process exits before the server has drained "
                    + "(System.exit without drain): every request in flight is lost; expected the server's shutdown, "
                    + "then the exit (README 06.19)", described()).containsSubsequence("shutdown", "exit");
            Step shutdown = steps.get(names().indexOf("shutdown"));
            assertThat(shutdown.readyAtTheTime()).as("[06.19] the steps were: %s: the server stopped accepting "
                    + "while /ready still said 200: the fronts' next requests are refused; drop readiness first "
                    + "(README 06.19)", described()).isFalse();
            assertThat(names()).as("[06.19] the steps were: %s: the server stopped accepting right after readiness "
                    + "dropped, with no preStop pause: the fronts have not seen /ready fail yet and their next "
                    + "requests are refused; pause for the preStop delay first (README 06.19)", described())
                    .containsSubsequence("pause", "shutdown");
            Step firstPause = steps.get(names().indexOf("pause"));
            assertThat(firstPause.readyAtTheTime()).as("[06.19] the steps were: %s: the service paused while "
                    + "/ready still said 200: the fronts go on sending requests through the preStop delay and the "
                    + "ones after it are refused; drop readiness before the pause (README 06.19)", described())
                    .isFalse();
            assertThat(steps).as("[06.19] expected exactly: pause(%d ms), server.shutdown(%d ms), exit(0), but the "
                    + "steps were: %s (README 06.19)", CONTRACT.preStopDelay().toMillis(),
                    CONTRACT.drainTimeout().toMillis(), described()).containsExactly(
                    new Step("pause", CONTRACT.preStopDelay(), 0, false),
                    new Step("shutdown", CONTRACT.drainTimeout(), 0, false),
                    new Step("exit", Duration.ZERO, 0, false));
        }
    }

    @Nested
    @DisplayName("when requests are still in flight")
    class Stuck {

        @Test
        @DisplayName("a request that never ends is cut at the drain timeout, and the process exits 1")
        void drainIsBounded() throws InterruptedException {
            stuckRequest = true;
            Background<Void> running = Background.run("[06.19] run()", sequence::run);
            try {
                awaitWatching("06.19", "with a request stuck in flight, run() should end once the drain timeout ("
                        + CONTRACT.drainTimeout().toMillis() + " ms) has passed, but it still waits: is the server "
                        + "given the drain timeout as its deadline? (steps so far: " + described() + ")", running);
            } finally {
                Parked.stop(running);
            }
            assertThat(steps).as("[06.19] the drain should be given the contract's drain timeout (%d ms), then the "
                    + "process should exit 1 (requests were cut), but the steps were: %s (README 06.19)",
                    CONTRACT.drainTimeout().toMillis(), described()).endsWith(
                    new Step("shutdown", CONTRACT.drainTimeout(), 0, false), new Step("exit", Duration.ZERO, 1, false));
        }

        @Test
        @DisplayName("a drain that ran out says so: exit 1, not 0")
        void cutRequestsExitOne() throws InterruptedException {
            drainsInTime = false;
            sequence.run();
            assertThat(steps.getLast()).as("[06.19] the server said some requests were cut at the drain timeout; "
                    + "the process should exit 1 so that the platform and its logs see it, but the steps were: %s "
                    + "(README 06.19)", described()).isEqualTo(new Step("exit", Duration.ZERO, 1, false));
        }
    }

    @Nested
    @DisplayName("when interrupted")
    class Interrupted {

        @Test
        @DisplayName("an interrupt during the preStop pause ends run() with InterruptedException and no exit")
        void interruptedPause() throws InterruptedException {
            pauseWaits = true;
            Background<Void> running = Background.run("[06.19] run()", sequence::run);
            Throwable thrown = null;
            try {
                awaitParked(running, "06.19", "run() returned while the preStop pause was still running: "
                        + "steps " + described());
                running.thread().interrupt();
                running.await(PATIENCE);
            } catch (Background.CallFailed e) {
                thrown = e.getCause();
            } finally {
                Parked.stop(running);
            }
            assertThat(names()).as("[06.19] an interrupt during the preStop pause should end run() with the "
                    + "InterruptedException, with no shutdown and no exit, but the steps were: %s: is the "
                    + "interruption swallowed? (README 06.19)", described()).doesNotContain("shutdown", "exit");
            assertThat(thrown).as("[06.19] run() should throw the InterruptedException of the pause, but it "
                    + "returned (steps: %s) (README 06.19)", described()).isInstanceOf(InterruptedException.class);
        }
    }
}
