package workshop.patterns;

/**
 * What the handler of {@link Causes} answers (exercise 05.9): an HTTP status and a body.
 *
 * @param status 200 with the order, 404 when there is no such order
 * @param body   the order, or a short text for the client
 */
public record OrderResponse(int status, String body) {
}
