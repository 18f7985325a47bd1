package workshop.scenarios.aggregation.adapter.web;

import workshop.support.NotSolvedYet;

import java.util.concurrent.ThreadFactory;

/**
 * Exercise 06.6: When the client goes away
 *
 * <p>While a handler runs, read from its connection: the end of the stream or a reset means the client is gone, so
 * interrupt the handler's thread (the use case's scope then cancels its forks, which interrupts the downstream
 * calls). Go's net/http does this for every request with a background read, and cancels the request's context:
 *
 * <pre>{@code
 * // net/http, server.go: the connection reader reads on while ServeHTTP runs
 * w.conn.r.startBackgroundRead()        // a read of one byte; on EOF: cr.handleReadError -> conn.cancelCtx()
 * serverHandler{c.server}.ServeHTTP(w, w.req)
 * w.conn.r.abortPendingRead()           // a read deadline in the past ends the read; a byte it got is kept
 *
 * // the handler sees it as its request's context, done:
 * select {
 * case page := <-pages:   json.NewEncoder(w).Encode(page)
 * case <-r.Context().Done(): return     // the client is gone: context.Canceled
 * }
 * }</pre>
 *
 * <p>The {@link WebServer} calls {@link #start} on the handler's thread just before the handler and {@link #stop}
 * just after it, whatever it did. Between the two, the watch reads ahead on the connection with
 * {@link ConnectionInput#fill()} (blocked in the read, with no time-out), on a thread made by the factory it is given:
 * bytes that arrive belong to the connection's next request (a pipelined request: the client is still there) and
 * {@code fill} keeps them; the end of the stream or an {@code IOException} means the client is gone.
 *
 * <p>Interruption: the watch interrupts the handler's thread at most once, and only while it is armed: from
 * {@code start} until {@code stop}. After {@code stop} returns, it never interrupts that thread again (the thread goes
 * on to the connection's next request: a late interrupt would cancel that one). The watch's thread may still be
 * blocked in {@code fill} after {@code stop}: the server's next read waits for it and takes what it reads, and it ends
 * when its read ends (the connection's next bytes, or its close).
 *
 * <p>Memory consistency effects: actions of the watch before it interrupts the handler's thread happen-before
 * {@code stop} returns {@code true}.
 */
public final class ConnectionWatch {

    private final Thread handler;

    private ConnectionWatch(Thread handler) {
        this.handler = handler;
        // TODO 06.6: what must a watch remember to decide, once, between "the client went away" and "stopped first"?
    }

    /**
     * Starts watching the connection while {@code handler} runs a request.
     *
     * @param input   the connection's bytes: read ahead with {@link ConnectionInput#fill()} only (it keeps them)
     * @param handler the thread that runs the handler: interrupted if the client goes away before {@link #stop}
     * @param threads makes the watch's thread (the server names, counts and waits for the threads it makes)
     * @return the watch, already watching
     */
    public static ConnectionWatch start(ConnectionInput input, Thread handler, ThreadFactory threads) {
        // TODO 06.6: one read ahead on a thread of its own; what it returns tells "gone" from "a next request"
        throw new NotSolvedYet("06.6");
    }

    /**
     * Stops watching: once this returns, the watch never interrupts the handler's thread. Never blocks on the read
     * ahead.
     *
     * @return {@code true} if the client went away and the watch interrupted the handler's thread (then the server
     *         clears that interrupt, sends nothing and closes the connection), {@code false} if the watch was stopped
     *         first
     */
    public boolean stop() {
        // TODO 06.6: decide "stopped" and "gone" under one lock, or an interrupt can land after this returns
        throw new NotSolvedYet("06.6");
    }
}
