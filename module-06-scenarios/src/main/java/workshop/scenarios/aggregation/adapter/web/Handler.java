package workshop.scenarios.aggregation.adapter.web;

import java.util.Objects;

/**
 * Answers one request, on the connection's own (virtual) thread: Go's {@code http.Handler}. The thread is
 * interrupted when the client goes away while the handler runs ({@link ConnectionWatch}): that is the request's
 * cancellation, as {@code r.Context().Done()} is in Go.
 */
@FunctionalInterface
public interface Handler {

    /**
     * @return the response to send
     * @throws InterruptedException if the thread was interrupted (the client went away): the server sends nothing and
     *                              closes the connection, since no one is there to read an answer
     */
    Response handle(Request request) throws InterruptedException;

    /**
     * A handler that sends requests for exactly {@code path} (query ignored) to {@code handler} and every other one to
     * {@code otherwise}: enough routing for a service with two endpoints, as {@code http.ServeMux} for one pattern.
     */
    static Handler route(String path, Handler handler, Handler otherwise) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(otherwise, "otherwise");
        return request -> request.path().equals(path) ? handler.handle(request) : otherwise.handle(request);
    }
}
