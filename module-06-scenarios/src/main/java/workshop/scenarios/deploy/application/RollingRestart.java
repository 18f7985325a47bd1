package workshop.scenarios.deploy.application;

import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Exercise 06.20: Rolling restart, or roll back
 *
 * <p>Replace every running instance by one of the new version, one at a time, without ever serving from fewer ready
 * instances than before: start a new one, wait until it reports ready, only then stop an old one. A new version that
 * is not ready by the deadline (or dies) is stopped, and the old ones keep serving. Kubernetes does it for a
 * Deployment with {@code maxSurge: 1, maxUnavailable: 0}; by hand, in Go:
 *
 * <pre>{@code
 * for i, old := range running {
 *     next, err := platform.Start(ctx, version)
 *     if err != nil { return running, err }
 *     ctx, cancel := context.WithTimeout(ctx, 60*time.Second) // progressDeadlineSeconds
 *     err = waitReady(ctx, next, time.Second)                 // a ticker, next.Ready() on each tick
 *     cancel()
 *     if err != nil { next.Stop(grace); return running, fmt.Errorf("rolled back: %w", err) }
 *     old.Stop(grace) // SIGTERM, then SIGKILL after the grace period
 *     running[i] = next
 * }
 * }</pre>
 *
 * <p>Thread safety: one {@code roll} at a time; it runs on the caller's thread and starts no thread.
 */
public final class RollingRestart {

    /**
     * How the rolling restart waits.
     *
     * @param readyDeadline    how long a new instance may take to report ready before the deploy gives up on it
     *                         (Kubernetes: {@code progressDeadlineSeconds}): positive
     * @param probeInterval    the pause between two readiness probes of a new instance ({@code periodSeconds}):
     *                         positive
     * @param terminationGrace how long a stopped instance may take to drain and exit before it is killed
     *                         ({@code terminationGracePeriodSeconds}): not negative
     */
    public record Settings(Duration readyDeadline, Duration probeInterval, Duration terminationGrace) {

        /** A 60 s deadline, a probe a second, the production contract's shutdown budget and 5 s to spare. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), Duration.ofSeconds(1),
                ServiceContract.PRODUCTION.shutdownBudget().plusSeconds(5));

        public Settings {
            Objects.requireNonNull(readyDeadline, "readyDeadline");
            Objects.requireNonNull(probeInterval, "probeInterval");
            Objects.requireNonNull(terminationGrace, "terminationGrace");
            if (!readyDeadline.isPositive() || !probeInterval.isPositive() || terminationGrace.isNegative()) {
                throw new IllegalArgumentException("settings out of range: " + this);
            }
        }
    }

    /** How a rolling restart ended, and which instances serve now, in the order of the instances it was given. */
    public sealed interface Result permits Deployed, RolledBack {
        List<Instance> serving();
    }

    /** Every old instance was replaced by a ready instance of the new version. */
    public record Deployed(List<Instance> serving) implements Result {
        public Deployed {
            serving = List.copyOf(serving);
        }
    }

    /**
     * A new instance did not become ready in time, or exited: it was stopped, and the rolling restart went no further.
     * The old instances that it had not reached yet serve on, untouched.
     */
    public record RolledBack(String reason, List<Instance> serving) implements Result {
        public RolledBack {
            Objects.requireNonNull(reason, "reason");
            serving = List.copyOf(serving);
        }
    }

    private final Platform platform;
    private final Settings settings;
    private final Ticker ticker;

    /**
     * @param platform starts the new instances
     * @param settings the deadline, the probe interval and the grace period
     * @param ticker   the only clock and the only pause the rolling restart uses
     */
    public RollingRestart(Platform platform, Settings settings, Ticker ticker) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Replaces the {@code running} instances, in order, by instances of {@code version}: for each, starts a new one,
     * probes it every {@link Settings#probeInterval()} until it reports ready, then stops the old one and waits for it
     * to end. Never more than one instance beyond {@code running.size()} runs, and never fewer ready ones than before.
     * If a new instance is not ready within {@link Settings#readyDeadline()} of its start, or exits, it is stopped and
     * the result is {@link RolledBack}: the rolling restart goes no further.
     *
     * <p>Blocks until the last old instance has ended, or until the roll-back is done.
     *
     * @throws InterruptedException if interrupted: the new instance that has not replaced an old one yet is stopped
     *                              first, the old ones not replaced yet keep running
     */
    public Result roll(List<Instance> running, String version) throws InterruptedException {
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(version, "version");
        // TODO 06.20: one new instance at a time; when may an old one go, and how long do you wait for the new one?
        throw new NotSolvedYet("06.20");
    }
}
