package workshop.patterns.examples;

import java.util.UUID;
import java.util.concurrent.StructuredTaskScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A trace id in every log line: bound once per request in a {@link ScopedValue} and added to each line with SLF4J
 * 2's fluent API, next to the {@link MDC} (a thread-local map) that a fork of a {@link StructuredTaskScope} does not
 * see. Run it with {@code -Dlogback.configurationFile=workshop/patterns/examples/traced-logback.xml} for one JSON
 * object per line (Logback's {@code JsonEncoder}); without it Logback prints its default pattern.
 */
public final class Traced {

    private Traced() {
    }

    // tag::scoped[]
    static final Logger log = LoggerFactory.getLogger(Traced.class);
    static final ScopedValue<String> TRACE_ID = ScopedValue.newInstance();   // ctx = context.WithValue(ctx, k, id)

    static void handle(String sku) throws InterruptedException {
        String traceId = UUID.randomUUID().toString().substring(0, 8);
        MDC.put("mdc_trace_id", traceId);                                   // a ThreadLocal: this thread only
        try {
            ScopedValue.where(TRACE_ID, traceId).call(() -> fanOut(sku));   // bound for this call and its forks
        } finally {
            MDC.remove("mdc_trace_id");                                     // or the next task on this thread has it
        }
    }

    static Void fanOut(String sku) throws InterruptedException {
        info("handling", sku);
        try (var scope = StructuredTaskScope.open()) {
            scope.fork(() -> info("pricing", sku));                         // a fork sees TRACE_ID, not the MDC
            scope.fork(() -> info("inventory", sku));
            scope.join();
        }
        return null;
    }

    static void info(String message, String sku) {
        log.atInfo()
                .addKeyValue("trace_id", TRACE_ID.orElse("none"))          // slog.Info(msg, "trace_id", id, ...)
                .addKeyValue("sku", sku)
                .addKeyValue("mdc_seen", MDC.get("mdc_trace_id"))
                .log(message);
    }
    // end::scoped[]

    public static void main(String[] args) throws InterruptedException {
        handle("sku-1");
        info("outside any request", "-");
    }
}
