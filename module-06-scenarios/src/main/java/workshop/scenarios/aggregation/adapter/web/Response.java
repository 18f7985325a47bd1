package workshop.scenarios.aggregation.adapter.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Handler} answers. The {@link WebServer} adds {@code Content-Length}, {@code X-Request-Id} and, when
 * it closes the connection, {@code Connection: close}; a handler does not set those.
 *
 * @param status  the status code, 100 to 599 (1xx interim responses are not supported: use 200 and above)
 * @param headers header fields to send, names as they should appear (an unmodifiable copy, in order)
 * @param body    the body's bytes (not copied: do not change them afterwards)
 */
public record Response(int status, Map<String, String> headers, byte[] body) {

    public Response {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("not a final status code: " + status);
        }
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }

    /** A response with a body of the given content type. */
    public static Response of(int status, String contentType, byte[] body) {
        return new Response(status, Map.of("Content-Type", contentType), body);
    }

    /** A plain-text response, UTF-8. */
    public static Response text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The same response with one more header field. */
    public Response withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Response(status, more, body);
    }

    /** A header's value, the name in any case, or {@code null}. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
