package workshop.context;

/**
 * A key for {@link Context#withValue}: compared by identity, never by name, so two packages cannot collide even if they
 * pick the same name. Go's advice, {@code type ctxKey struct{}}, made into a type: the name only shows in
 * {@link #toString()}, and the type parameter makes a lookup return the right type without a cast.
 *
 * <pre>{@code
 * type requestIDKey struct{}                                   // static final Key<String> REQUEST_ID = Key.named("request id");
 * ctx = context.WithValue(ctx, requestIDKey{}, "r-42")         // ctx = Context.withValue(ctx, REQUEST_ID, "r-42");
 * id, ok := ctx.Value(requestIDKey{}).(string)                 // Optional<String> id = ctx.value(REQUEST_ID);
 * }</pre>
 *
 * @param <T> the type of the value it stands for
 */
public final class Key<T> {

    private final String name;

    private Key(String name) {
        this.name = name;
    }

    /** A new key, distinct from every other key, even one with the same name. */
    public static <T> Key<T> named(String name) {
        return new Key<>(name);
    }

    /** The name given at creation: for messages only. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "Key[" + name + "]";
    }
}
