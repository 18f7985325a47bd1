package workshop.scenarios.deploy.application;

import workshop.scenarios.deploy.domain.Item;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * Exercise 06.18: Warm before ready
 *
 * <p>The cache warms in the background, so that the process answers {@code /live} at once, and it is ready only when
 * every item is loaded: until then every lookup is "not ready" (503), never an answer from a cold or half-warm cache.
 * A failed warm-up is tried again after a pause; one that never succeeds never turns ready. In Go:
 *
 * <pre>{@code
 * var ready atomic.Bool
 * go func() {
 *     for {
 *         items, err := loadAll(ctx, source)
 *         if err == nil { cache.Store(items); ready.Store(true); return }
 *         select { case <-ctx.Done(): return; case <-time.After(retryDelay): }
 *     }
 * }()
 * }</pre>
 *
 * <p>Thread safety: any thread may call any method at any time; {@link #start()} once. Memory consistency effects:
 * the loading of every item happens-before a {@link #lookup} that finds the cache ready, and before
 * {@link #awaitReady()} returns.
 */
public final class WarmCache implements AutoCloseable {

    private final ItemSource source;
    private final Pause pause;
    private final Duration retryDelay;
    /** Opened once, when {@link #items} holds every item: the ready flag and what {@link #awaitReady()} waits on. */
    private final CountDownLatch warm = new CountDownLatch(1);
    /** Written once, complete, before {@link #warm} opens; read only after it is open. */
    private volatile Map<String, Item> items = Map.of();
    private Thread warmer; // guarded by this
    private boolean closed; // guarded by this

    /**
     * A cold cache; {@link #start()} warms it.
     *
     * @param source     where the items come from, slowly
     * @param pause      how to wait between a failed warm-up and the next ({@code Thread::sleep} in the service)
     * @param retryDelay how long to wait after a failed warm-up before the next one: positive
     */
    public WarmCache(ItemSource source, Pause pause, Duration retryDelay) {
        this.source = Objects.requireNonNull(source, "source");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
        if (retryDelay.isNegative() || retryDelay.isZero()) {
            throw new IllegalArgumentException("retryDelay must be positive: " + retryDelay);
        }
    }

    /**
     * Starts warming the cache in the background and returns at once: the source is read on a thread of the cache's
     * own, never on the caller's. A failed warm-up (the source throws {@link SourceUnavailable}) is started again
     * from scratch after the retry delay, until one succeeds or the cache is closed.
     *
     * @throws IllegalStateException if started before, or closed
     */
    public void start() {
        synchronized (this) {
            if (warmer != null || closed) {
                throw new IllegalStateException(closed ? "closed" : "started already");
            }
            warmer = Thread.ofVirtual().name("catalog-warm-up").start(this::warmUntilReady);
        }
    }

    private void warmUntilReady() {
        try {
            while (true) {
                try {
                    items = loadAll();
                    warm.countDown();
                    return;
                } catch (SourceUnavailable failed) {
                    pause.pause(retryDelay); // then from scratch: nothing of a failed attempt is served
                }
            }
        } catch (InterruptedException closing) {
            // close() asked the warm-up to stop: the cache stays cold, and the thread ends
        }
    }

    private Map<String, Item> loadAll() throws SourceUnavailable, InterruptedException {
        Map<String, Item> loaded = new HashMap<>();
        for (String id : source.ids()) {
            loaded.put(id, source.load(id));
        }
        return Map.copyOf(loaded);
    }

    /** Whether every item is loaded. Never blocks. */
    public boolean ready() {
        return warm.getCount() == 0;
    }

    /**
     * The item of {@code id} from the warm cache, {@link Lookup.Unknown} if the warm cache has none, or
     * {@link Lookup#NOT_READY} while it is not warm. Never blocks and never reads the source.
     */
    public Lookup lookup(String id) {
        Objects.requireNonNull(id, "id");
        if (!ready()) {
            return Lookup.NOT_READY;
        }
        Item item = items.get(id);
        return item == null ? new Lookup.Unknown(id) : new Lookup.Found(item);
    }

    /**
     * Blocks until the cache is warm; returns at once if it is. A cache that never warms keeps the caller waiting.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public void awaitReady() throws InterruptedException {
        warm.await();
    }

    /**
     * Stops a warm-up still running: interrupts its thread and waits for it to end, so that none is left when this
     * returns (an item source that does not answer interruption delays that until it returns). The cache stays as it
     * is: warm if it was. If the caller is interrupted while it waits, it waits on and returns with its interrupt
     * status set. Idempotent.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = warmer;
        }
        if (running == null) {
            return;
        }
        running.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                running.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
