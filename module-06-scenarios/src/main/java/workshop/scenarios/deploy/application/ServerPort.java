package workshop.scenarios.deploy.application;

import java.time.Duration;

/** The HTTP server, as the shutdown needs it: Go's {@code srv.Shutdown(ctx)}. The web adapter implements it. */
@FunctionalInterface
public interface ServerPort {

    /**
     * Stops accepting connections at once (a new connection is refused), lets the requests in flight finish for up
     * to {@code drainTimeout}, then closes every connection still open, cutting what still runs. Blocks until then.
     *
     * @param drainTimeout how long requests in flight may take to finish; the call returns after about this much
     *                     time at the most
     * @return {@code true} if every request in flight finished within {@code drainTimeout}, {@code false} if some were
     *         cut
     * @throws InterruptedException if the calling thread is interrupted while it waits: the server is closed at once
     */
    boolean shutdown(Duration drainTimeout) throws InterruptedException;
}
