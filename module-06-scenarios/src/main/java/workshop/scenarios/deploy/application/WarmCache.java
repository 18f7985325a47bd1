package workshop.scenarios.deploy.application;

import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.util.Objects;

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
        // TODO 06.18: who reads the source, and on which thread? What does a failed attempt leave behind?
        throw new NotSolvedYet("06.18");
    }

    /** Whether every item is loaded. Never blocks. */
    public boolean ready() {
        // TODO 06.18: the ready flag: when does it turn true, and who sees it?
        throw new NotSolvedYet("06.18");
    }

    /**
     * The item of {@code id} from the warm cache, {@link Lookup.Unknown} if the warm cache has none, or
     * {@link Lookup#NOT_READY} while it is not warm. Never blocks and never reads the source.
     */
    public Lookup lookup(String id) {
        Objects.requireNonNull(id, "id");
        // TODO 06.18: what may a request see of a cache that is still warming?
        throw new NotSolvedYet("06.18");
    }

    /**
     * Blocks until the cache is warm; returns at once if it is. A cache that never warms keeps the caller waiting.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public void awaitReady() throws InterruptedException {
        // TODO 06.18: wait to be told, not by looking again and again
        throw new NotSolvedYet("06.18");
    }

    /**
     * Stops a warm-up still running: interrupts its thread and waits for it to end, so that none is left when this
     * returns (an item source that does not answer interruption delays that until it returns). The cache stays as it
     * is: warm if it was. If the caller is interrupted while it waits, it waits on and returns with its interrupt
     * status set. Idempotent.
     */
    @Override
    public void close() {
        // TODO 06.18: the warm-up's thread ends before close() returns
        throw new NotSolvedYet("06.18");
    }
}
