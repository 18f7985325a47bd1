package workshop.scenarios.deploy.application;

import workshop.scenarios.deploy.domain.ServiceContract;

import java.util.Objects;

/**
 * Exercise 06.19: SIGTERM: unready, wait, drain, exit
 *
 * <p>What the service does when the platform stops it, in an order that loses no request: readiness fails first, so
 * that the fronts stop sending new requests; the service serves on for the preStop delay while they notice; then it
 * stops accepting and lets the requests in flight finish within the drain timeout; then the process ends, 0 if all
 * of them finished. In Go:
 *
 * <pre>{@code
 * ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
 * defer stop()
 * <-ctx.Done()
 * ready.Store(false)
 * time.Sleep(preStopDelay)
 * shutdownCtx, cancel := context.WithTimeout(context.Background(), drainTimeout)
 * defer cancel()
 * if err := srv.Shutdown(shutdownCtx); err != nil { os.Exit(1) }
 * }</pre>
 *
 * <p>{@link #run()} runs on the thread that got the signal ({@code Main}'s shutdown hook), while the server's own
 * threads go on serving.
 */
public final class ShutdownSequence {

    private final ServiceContract contract;
    private final Readiness readiness;
    private final ServerPort server;
    private final Pause pause;
    private final ProcessExit exit;

    /**
     * @param contract  the preStop delay and the drain timeout
     * @param readiness what {@code /ready} answers
     * @param server    the HTTP server
     * @param pause     how to wait ({@code Thread::sleep} in the service)
     * @param exit      how the process ends
     */
    public ShutdownSequence(ServiceContract contract, Readiness readiness, ServerPort server, Pause pause,
                            ProcessExit exit) {
        this.contract = Objects.requireNonNull(contract, "contract");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.server = Objects.requireNonNull(server, "server");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.exit = Objects.requireNonNull(exit, "exit");
    }

    /**
     * Runs the shutdown to its end, which is the exit: status 0 if every request in flight finished within the drain
     * timeout, 1 if some had to be cut. Blocks for the preStop delay and the drain.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits; the process is not ended
     */
    public void run() throws InterruptedException {
        readiness.drop(); // 1. the fronts stop sending new requests once their probes see /ready fail...
        pause.pause(contract.preStopDelay()); // 2. ...which takes them a while: serve on meanwhile
        boolean drained = server.shutdown(contract.drainTimeout()); // 3. stop accepting, finish what is in flight
        exit.exit(drained ? 0 : 1); // 4. the process ends, saying whether requests were cut
    }
}
