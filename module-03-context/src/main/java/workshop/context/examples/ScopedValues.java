package workshop.context.examples;

import java.util.concurrent.StructuredTaskScope;

/**
 * {@link ScopedValue} (final in JDK 25, JEP 506) as Go's {@code context.WithValue}: a typed key, a binding for the
 * length of a call, read anywhere below it, inherited by {@link StructuredTaskScope} forks and by nothing else.
 */
public final class ScopedValues {

    private ScopedValues() {
    }

    // tag::request-id[]
    static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance(); // the key: a typed constant

    static void handle(String requestId) {
        ScopedValue.where(REQUEST_ID, requestId)     // ctx = context.WithValue(ctx, requestIDKey{}, id)
                .run(() -> placeOrder("sku-1"));     // bound for this call and everything it calls, then gone
    }

    static void placeOrder(String sku) {
        log("order placed: " + sku);                 // no id parameter anywhere on the way down
    }

    static void log(String message) {
        System.out.println("[" + REQUEST_ID.orElse("no request") + "] " + message); // ctx.Value(requestIDKey{})
    }
    // end::request-id[]

    static void inheritance() throws InterruptedException {
        // tag::inherit[]
        ScopedValue.where(REQUEST_ID, "r-42").call(() -> {
            try (var scope = StructuredTaskScope.open()) {
                scope.fork(() -> log("in a fork"));  // [r-42]: forks inherit the owner's bindings
                scope.join();
            }
            Thread plain = Thread.ofVirtual().start(() -> log("in a plain thread")); // [no request]
            plain.join();
            return null;
        });
        // end::inherit[]
    }

    static void rebinding() {
        // tag::rebind[]
        ScopedValue.where(REQUEST_ID, "outer").run(() -> {
            log("before");                                                   // [outer]
            ScopedValue.where(REQUEST_ID, "inner").run(() -> log("nested")); // [inner], for this call only
            log("after");                                                    // [outer]: nothing was overwritten
        });
        // end::rebind[]
    }

    // tag::thread-local[]
    static final ThreadLocal<String> CURRENT_USER = new ThreadLocal<>(); // one mutable slot per thread

    static void handleWithThreadLocal(String user, Runnable work) {
        CURRENT_USER.set(user);    // anyone below may set() it again
        try {
            work.run();
        } finally {
            CURRENT_USER.remove(); // forget this on a pooled thread and the next request runs as this user
        }
    }
    // end::thread-local[]

    // tag::trace[]
    record TraceContext(String traceId, String spanId) {
    }

    static final ScopedValue<TraceContext> TRACE = ScopedValue.newInstance();

    static String callDownstream(String path) {
        if (!TRACE.isBound()) {                // orElse(null) throws in JDK 25: ask first
            return "GET " + path;              // no trace: a new one starts downstream
        }
        TraceContext trace = TRACE.get();
        return "GET " + path + " traceparent: 00-" + trace.traceId() + "-" + trace.spanId() + "-01"; // W3C header
    }
    // end::trace[]

    public static void main(String[] args) throws InterruptedException {
        handle("r-1");
        log("outside any request");
        inheritance();
        rebinding();
        handleWithThreadLocal("ann", () -> System.out.println("user " + CURRENT_USER.get()));
        System.out.println(ScopedValue.where(TRACE,
                        new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))
                .call(() -> callDownstream("/stock")));
        System.out.println(callDownstream("/stock"));
    }
}
