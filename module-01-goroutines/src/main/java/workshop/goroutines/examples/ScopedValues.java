package workshop.goroutines.examples;

/**
 * Per-task context without {@link ThreadLocal}: a {@link ScopedValue} (final in JDK 25) is bound for the duration of
 * a call and is gone after it, the way a Go {@code context.Context} value travels with a call.
 */
public final class ScopedValues {

    private ScopedValues() {
    }

    // tag::scoped-value[]
    static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance();

    static void handle(String requestId) {
        ScopedValue.where(REQUEST_ID, requestId).run(ScopedValues::work); // bound for this call only
    }

    static void work() {
        System.out.println("working on " + REQUEST_ID.get()); // no set(), no remove(), nothing left behind
    }
    // end::scoped-value[]

    public static void main(String[] args) throws InterruptedException {
        Thread.ofVirtual().start(() -> handle("req-1")).join();
    }
}
