package workshop.scenarios.aggregation.adapter.web;

import tools.jackson.databind.json.JsonMapper;
import workshop.scenarios.aggregation.application.ProductPages;
import workshop.scenarios.aggregation.domain.FailureKind;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.support.NotSolvedYet;

import java.util.Objects;

/**
 * Exercise 06.5: The product endpoint
 *
 * <p>Map {@code GET /products/{id}} onto the inbound port {@link ProductPages} and its decision onto HTTP: the status
 * code says what happened, the JSON document carries the page or the error. Go's handler, with Go 1.22's patterns:
 *
 * <pre>{@code
 * mux.HandleFunc("GET /products/{id}", func(w http.ResponseWriter, r *http.Request) {
 *     id, err := domain.ParseProductID(r.PathValue("id"))
 *     if err != nil { writeError(w, http.StatusBadRequest, "invalid_product_id"); return }
 *     decision, err := pages.Load(r.Context(), id)
 *     if errors.Is(err, context.Canceled) { return }          // the client is gone: no one reads an answer
 *     switch d := decision.(type) {
 *     case Serve: w.Header().Set("Content-Type", "application/json"); json.NewEncoder(w).Encode(toJSON(d.Page))
 *     case Fail:  writeError(w, statusOf(d.Kind), d.Kind.Label(), d.Part.Label())
 *     }
 * })
 * }</pre>
 *
 * <p>The contract. Every response has {@code Content-Type: application/json} and a JSON object as its body (the
 * server adds {@code X-Request-Id}).
 * <ul>
 *     <li>{@code GET /products/{id}} with a valid {@link ProductId} (the query is ignored) asks the port once,
 *         with that id, and answers its decision:
 *     <ul>
 *         <li>{@link PageDecision.Serve}: {@code 200}, degraded or not (a degraded page is still a page: not 206, not
 *             503), with the page:
 *             {@code {"id":"p-1","stock":{"available":12,"warehouse":"AMS"},"price":{"amountCents":1999,
 *             "currency":"EUR"},"reviews":{"averageStars":4.5,"count":120},"recommendations":["p-2","p-3"],
 *             "degraded":true,"omitted":["reviews"]}}; {@code reviews} and {@code recommendations} are absent when the
 *             page has none, {@code degraded} and {@code omitted} (the labels of the parts left out, maybe
 *             {@code []}) are always there;</li>
 *         <li>{@link PageDecision.Fail}: {@code 404} for {@link FailureKind#NOT_FOUND}, {@code 503} for
 *             {@link FailureKind#UNAVAILABLE}, {@code 504} for {@link FailureKind#TIMED_OUT}, with
 *             {@code {"error":"not_found"|"unavailable"|"timed_out","part":"inventory"|"pricing","requestId":"..."}}.
 *         </li>
 *     </ul></li>
 *     <li>An id that is not valid: {@code 400} {@code {"error":"invalid_product_id","requestId":"..."}}; the port
 *         is not asked.</li>
 *     <li>Another method on {@code /products/{id}}: {@code 405} with {@code Allow: GET} and
 *         {@code {"error":"method_not_allowed","requestId":"..."}}.</li>
 *     <li>Any other path ({@code /products}, {@code /products/p-1/reviews}, ...): {@code 404}
 *         {@code {"error":"not_found","requestId":"..."}}, whatever the method.</li>
 * </ul>
 *
 * <p>Interruption: if the port throws {@link InterruptedException} (the client went away and the server interrupted
 * this thread), {@link #handle} throws it on, unchanged: there is no status code for "no one is listening" (not 500,
 * not 503), and the server closes the connection without an answer. Anything else the port throws propagates (the
 * server answers 500).
 */
public final class ProductEndpoint implements Handler {

    /** Jackson 3 ({@code tools.jackson}): thread-safe once built, share it. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProductPages pages;

    public ProductEndpoint(ProductPages pages) {
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    @Override
    public Response handle(Request request) throws InterruptedException {
        // TODO 06.5: route first (which path, which method), refuse a bad id before the port sees it, then turn the
        //  decision into a status code and a JSON tree (JSON.createObjectNode(), JSON.writeValueAsBytes(...))
        throw new NotSolvedYet("06.5");
    }
}
