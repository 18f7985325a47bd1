package workshop.scenarios.deploy.application;

import java.time.Duration;

/**
 * One running instance of the service, as the platform that started it sees it (Kubernetes: a pod).
 *
 * <p>Thread safety: its methods may be called from any thread.
 */
public interface Instance {

    /** Which version runs there, e.g. {@code "v2"}. */
    String version();

    /** A name for logs and reports, e.g. {@code "v2#3 (pid 4242)"}. */
    String name();

    /**
     * Probes its readiness once, as a readiness probe does (Kubernetes: {@code GET /ready}, success on 2xx): true if it
     * answered ready now; false if it answered not ready, did not answer within the probe's own short time-out, or
     * refused the connection. Blocks for at most that time-out.
     *
     * @throws InterruptedException if interrupted while probing
     */
    boolean ready() throws InterruptedException;

    /** Whether it has ended (exited, crashed or was killed): an instance that has exited never becomes ready. */
    boolean exited();

    /**
     * Stops it the way a platform does, and returns when it has ended: SIGTERM (it drains and exits on its own), then,
     * if it still runs after {@code grace}, SIGKILL (Kubernetes: {@code terminationGracePeriodSeconds}). Does nothing
     * if it has already ended.
     *
     * @throws InterruptedException if interrupted while waiting for it to end; the SIGTERM has been sent then
     */
    void stop(Duration grace) throws InterruptedException;
}
