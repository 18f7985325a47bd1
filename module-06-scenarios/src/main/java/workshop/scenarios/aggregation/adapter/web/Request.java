package workshop.scenarios.aggregation.adapter.web;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP/1.1 request as the {@link WebServer} parsed it: its body, if any, was read and discarded.
 *
 * @param method    the method as sent, such as {@code GET} (case-sensitive, as HTTP says)
 * @param target    the request target as sent: the path and any query, such as {@code /products/p-1?x=1}
 * @param headers   the header fields, names in lower case, one value per name (the last one sent wins); unmodifiable
 * @param requestId the request's id: the client's {@code X-Request-Id} when it was valid, else one the server made;
 *                  every response carries it back
 */
public record Request(String method, String target, Map<String, String> headers, String requestId) {

    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(requestId, "requestId");
    }

    /** The target without its query: {@code /products/p-1} for {@code /products/p-1?x=1}. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** A header's value; {@code name} in any case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }
}
