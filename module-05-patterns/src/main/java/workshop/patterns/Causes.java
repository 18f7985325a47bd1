package workshop.patterns;

import workshop.support.NotSolvedYet;

import java.util.List;
import java.util.Optional;

/**
 * Exercise 05.9: Errors with context
 *
 * <p>Wrap a failure with context at each layer, keeping the original as the cause, and find what you are looking for
 * from the top, through causes and suppressed exceptions: Go's {@code %w}, {@code errors.As} and {@code errors.Join}.
 *
 * <pre>{@code
 * func loadOrder(id int) (Order, error) {
 *     o, err := repo.read(id)
 *     if err != nil {
 *         return Order{}, fmt.Errorf("loading order %d: %w", id, err) // context, and the original kept
 *     }
 *     return o, nil
 * }
 * var nf *NotFoundError
 * if errors.As(err, &nf) { ... }       // anywhere in err's tree: wrapped (%w) or joined (errors.Join)
 * err := errors.Join(errs...)          // several failures in one error
 * }</pre>
 */
public final class Causes {

    private Causes() {
    }

    /**
     * Finds the first exception that is an instance of {@code type} (a subclass counts) in the tree of {@code top}:
     * {@code top} itself, then the tree of its cause, then the tree of each of its suppressed exceptions, in order.
     * Go's {@code errors.As}, where a wrapped error is a cause and a joined one ({@code errors.Join}) is suppressed.
     *
     * <p>Each exception is looked at once: a tree whose causes or suppressed exceptions form a cycle
     * ({@link Throwable#initCause} and {@link Throwable#addSuppressed} allow one) is walked to its end.
     *
     * @param top  where to start; {@code null} finds nothing
     * @return the exception found, the very instance in the tree, or empty
     */
    public static <T extends Throwable> Optional<T> find(Throwable top, Class<T> type) {
        // TODO 05.9: a cause chain is not the whole tree, and a tree can loop back on itself
        throw new NotSolvedYet("05.9");
    }

    /**
     * The repository layer: reads order {@code id} from {@code store}. A failure of the store comes out as an
     * {@link OrderRepositoryException} whose message contains {@code "reading order <id>"} and whose cause is the
     * store's exception itself.
     *
     * @throws InterruptedException if the store was interrupted: not wrapped, so that the interrupt is not lost
     */
    public static String read(OrderStore store, int id) throws OrderRepositoryException, InterruptedException {
        // TODO 05.9: wrap what the store threw with what this layer was doing; which of its exceptions is not a
        //  failure to wrap?
        throw new NotSolvedYet("05.9");
    }

    /**
     * The service layer: loads order {@code id} through {@link #read}. A failure comes out as an
     * {@link OrderServiceException} whose message contains {@code "loading order <id>"} and whose cause is the
     * repository's exception itself.
     *
     * @throws InterruptedException if the store was interrupted, as it came
     */
    public static String load(OrderStore store, int id) throws OrderServiceException, InterruptedException {
        // TODO 05.9: the same at this layer: its own type, its own context, the original underneath
        throw new NotSolvedYet("05.9");
    }

    /**
     * The handler layer, for {@code GET /orders/<id>}: answers 200 with the order {@link #load} returns, or 404 with
     * a short text if an {@link OrderNotFoundException} is anywhere among the causes of its failure (Go's
     * {@code errors.Is(err, ErrNotFound)}). Any other failure comes out as an {@link OrderHandlerException} whose
     * message contains {@code "handling GET /orders/<id>"} and whose cause is the service's exception itself.
     *
     * @throws InterruptedException if the store was interrupted, as it came
     */
    public static OrderResponse handle(OrderStore store, int id) throws OrderHandlerException, InterruptedException {
        // TODO 05.9: a missing order is an answer, not a failure: look for it among the causes, wherever it is
        throw new NotSolvedYet("05.9");
    }

    /**
     * Loads every order of {@code ids} through {@link #load}, all at once, each on a thread of its own, and returns
     * them in the order of {@code ids}. Returns once every load has ended; a failed load does not stop the others.
     *
     * <p>If any load failed, throws one {@link OrderServiceException} (Go's {@code errors.Join}) whose message says
     * how many of how many failed, with every load's failure, the very instances, reachable from it: each one
     * {@linkplain Throwable#addSuppressed suppressed} by it, in the order of {@code ids}.
     *
     * @throws InterruptedException if the caller was interrupted: the loads still running are cancelled and waited
     *                              for, and the interrupt status is clear
     */
    public static List<String> loadAll(OrderStore store, List<Integer> ids)
            throws OrderServiceException, InterruptedException {
        // TODO 05.9: every load at once, and every failure kept: none of them is the only one that matters
        throw new NotSolvedYet("05.9");
    }
}
