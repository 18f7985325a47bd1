package workshop.scenarios.aggregation;

/**
 * The aggregation API's composition root, Go's {@code cmd/aggregation/main.go}: the one class that knows every
 * adapter and wires them to the use case. (helper E)
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("wired by helper E");
    }
}
