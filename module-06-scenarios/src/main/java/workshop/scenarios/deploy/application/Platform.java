package workshop.scenarios.deploy.application;

/**
 * Where instances of the service run, as the rolling restart sees it (Kubernetes: the kubelet that creates a pod from
 * the Deployment's template; on one machine: a child process). The front that routes requests finds an instance by
 * itself; the platform only starts it.
 */
@FunctionalInterface
public interface Platform {

    /**
     * Starts one instance of {@code version} and returns it once it exists (its process runs and listens; it is not
     * ready yet: its cache is still cold). An instance that dies at once is returned too, and reports
     * {@link Instance#exited()}.
     *
     * @throws InterruptedException if interrupted while starting it; nothing is left running then
     * @throws IllegalStateException if the platform cannot start it at all (no such program, no port)
     */
    Instance start(String version) throws InterruptedException;
}
