package workshop.patterns.examples;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two limits that are not the exercises' shapes: a {@link Semaphore} around a scarce resource (Go's
 * {@code x/sync/semaphore}, or a buffered channel used as one), and a fixed-window rate limit that reads time from
 * an injected {@link InstantSource}, so a test moves time instead of sleeping.
 */
public final class Limits {

    private Limits() {
    }

    // tag::connection-limit[]
    static final Semaphore connections = new Semaphore(3);   // sem := semaphore.NewWeighted(3)

    static String query(String sql) throws InterruptedException {
        connections.acquire();                                // sem.Acquire(ctx, 1): waits, answers interruption
        try {
            return runOn(sql);                                // at most 3 threads in here, however many call
        } finally {
            connections.release();                            // defer sem.Release(1): also when runOn throws
        }
    }
    // end::connection-limit[]

    static final AtomicInteger inside = new AtomicInteger();
    static final AtomicInteger peak = new AtomicInteger();

    static String runOn(String sql) {
        peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
            Workshop.sleep(5);
            return "rows of " + sql;
        } finally {
            inside.decrementAndGet();
        }
    }

    // tag::fixed-window[]
    /** At most {@code limit} permits per window of {@code window}; the window starts at the first call. */
    static final class FixedWindow {
        private final InstantSource clock;                    // injected: the system clock, or a test's
        private final int limit;
        private final Duration window;
        private Instant windowStart;
        private int used;

        FixedWindow(InstantSource clock, int limit, Duration window) {
            this.clock = clock;
            this.limit = limit;
            this.window = window;
        }

        synchronized boolean tryAcquire() {
            Instant now = clock.instant();
            if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
                windowStart = now;                            // a new window: the count starts again
                used = 0;
            }
            if (used == limit) {
                return false;
            }
            used++;
            return true;
        }
    }
    // end::fixed-window[]

    public static void main(String[] args) throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                int n = i;
                threads.submit(() -> query("select " + n));
            }
        }
        System.out.println("semaphore: 100 callers, peak inside " + peak.get() + " (3 permits)");

        // tag::manual-clock[]
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        InstantSource manual = now::get;                      // InstantSource is a functional interface
        FixedWindow limiter = new FixedWindow(manual, 2, Duration.ofSeconds(1));
        System.out.println(limiter.tryAcquire() + " " + limiter.tryAcquire() + " " + limiter.tryAcquire());
        now.set(now.get().plusSeconds(1));                    // a second later, without sleeping
        System.out.println(limiter.tryAcquire());             // true true false, then true
        // end::manual-clock[]
    }
}
