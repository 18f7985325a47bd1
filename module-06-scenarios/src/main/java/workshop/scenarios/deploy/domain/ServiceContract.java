package workshop.scenarios.deploy.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * What the deployable service promises the platform that runs it (Kubernetes, or the rolling restart of this module),
 * and the timings of its shutdown. The manifest ({@code k8s/catalog.yaml}) must agree with these; a test checks it.
 *
 * @param preStopDelay how long the service keeps serving after SIGTERM with its readiness already failing, so that
 *                     every front has stopped sending it new requests (Kubernetes: the preStop sleep)
 * @param drainTimeout how long, after that, in-flight requests may take to finish once the service stops accepting
 * @param warmUp       about how long the cache takes to warm from the slow source (the startup probe's budget must
 *                     exceed it)
 */
public record ServiceContract(Duration preStopDelay, Duration drainTimeout, Duration warmUp) {

    /** Answers 200 as soon as the process serves HTTP; never fails while it runs (Kubernetes: the liveness probe). */
    public static final String LIVE_PATH = "/live";

    /** Answers 200 only while the cache is warm and no shutdown has begun, 503 otherwise (the readiness probe). */
    public static final String READY_PATH = "/ready";

    /** The service's own resource: {@code GET /items/{id}}, answered from the warm cache. */
    public static final String ITEMS_PATH = "/items/";

    /** The response header on every answer, naming the version that answered (a rolling restart shows both). */
    public static final String VERSION_HEADER = "X-Service-Version";

    /** The timings of a real deployment: 5 s preStop, 20 s drain, a cache that warms in about 3 s. */
    public static final ServiceContract PRODUCTION =
            new ServiceContract(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(3));

    public ServiceContract {
        Objects.requireNonNull(preStopDelay, "preStopDelay");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(warmUp, "warmUp");
        if (preStopDelay.isNegative() || drainTimeout.isNegative() || warmUp.isNegative()) {
            throw new IllegalArgumentException("negative timing: " + this);
        }
    }

    /**
     * The least time the platform must allow from SIGTERM to SIGKILL for the service to end on its own: the preStop
     * delay and the drain (Kubernetes: {@code terminationGracePeriodSeconds} must be at least this).
     */
    public Duration shutdownBudget() {
        return preStopDelay.plus(drainTimeout);
    }
}
