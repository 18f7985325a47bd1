package workshop.patterns;

/**
 * There is no order with the id asked for (exercise 05.9): what {@link OrderStore#read} throws in place of Go's
 * sentinel {@code var ErrNotFound = errors.New("order not found")}. In Java the type is the sentinel: code that cares
 * looks for an exception of this type in a failure's causes, as Go code calls {@code errors.Is(err, ErrNotFound)}.
 */
public class OrderNotFoundException extends Exception {

    private final int id;

    public OrderNotFoundException(int id) {
        super("no order " + id);
        this.id = id;
    }

    /** The id that was not found. */
    public int id() {
        return id;
    }
}
