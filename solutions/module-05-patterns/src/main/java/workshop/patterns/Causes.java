package workshop.patterns;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

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
        Objects.requireNonNull(type, "type");
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>()); // identity: equals may be anything
        Deque<Throwable> toVisit = new ArrayDeque<>();
        if (top != null) {
            toVisit.push(top);
        }
        while (!toVisit.isEmpty()) {
            Throwable next = toVisit.pop();
            if (!seen.add(next)) {
                continue; // met before: a cycle, or a failure shared by two branches
            }
            if (type.isInstance(next)) {
                return Optional.of(type.cast(next));
            }
            Throwable[] suppressed = next.getSuppressed();
            for (int i = suppressed.length - 1; i >= 0; i--) {
                toVisit.push(suppressed[i]); // pushed in reverse: popped in order, after the cause's tree
            }
            Throwable cause = next.getCause();
            if (cause != null) {
                toVisit.push(cause);
            }
        }
        return Optional.empty();
    }

    /**
     * The repository layer: reads order {@code id} from {@code store}. A failure of the store comes out as an
     * {@link OrderRepositoryException} whose message contains {@code "reading order <id>"} and whose cause is the
     * store's exception itself.
     *
     * @throws InterruptedException if the store was interrupted: not wrapped, so that the interrupt is not lost
     */
    public static String read(OrderStore store, int id) throws OrderRepositoryException, InterruptedException {
        try {
            return store.read(id);
        } catch (IOException | OrderNotFoundException e) { // never catch (Exception e): it would take the interrupt
            throw new OrderRepositoryException("reading order " + id, e);
        }
    }

    /**
     * The service layer: loads order {@code id} through {@link #read}. A failure comes out as an
     * {@link OrderServiceException} whose message contains {@code "loading order <id>"} and whose cause is the
     * repository's exception itself.
     *
     * @throws InterruptedException if the store was interrupted, as it came
     */
    public static String load(OrderStore store, int id) throws OrderServiceException, InterruptedException {
        try {
            return read(store, id);
        } catch (OrderRepositoryException e) {
            throw new OrderServiceException("loading order " + id, e);
        }
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
        try {
            return new OrderResponse(200, load(store, id));
        } catch (OrderServiceException e) {
            if (find(e, OrderNotFoundException.class).isPresent()) {
                return new OrderResponse(404, "no order " + id);
            }
            throw new OrderHandlerException("handling GET /orders/" + id, e);
        }
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
        try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAll())) { // a failure cancels no other load
            List<Subtask<String>> loads = new ArrayList<>();
            for (int id : ids) {
                loads.add(scope.fork(() -> load(store, id)));
            }
            scope.join();
            List<Throwable> failures = loads.stream()
                    .filter(load -> load.state() == Subtask.State.FAILED)
                    .map(Subtask::exception)
                    .toList();
            if (!failures.isEmpty()) {
                OrderServiceException all = new OrderServiceException(
                        "loading orders " + ids + ": " + failures.size() + " of " + ids.size() + " failed");
                failures.forEach(all::addSuppressed);
                throw all;
            }
            return loads.stream().map(Subtask::get).toList();
        }
    }
}
