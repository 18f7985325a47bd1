package workshop.scenarios.deploy.application;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Whether the service should be sent requests ({@code /ready}): only while its cache is warm and no shutdown has
 * begun. Go keeps this in one {@code atomic.Bool} that {@code warm()} sets and the SIGTERM handler clears; here the
 * cache says whether it is warm, and {@link #drop()} is the shutdown's half.
 *
 * <p>Thread safety: any thread may call any method at any time. Memory consistency effects: actions in a thread
 * before {@link #drop()} happen-before a {@link #ready()} in another thread that returns {@code false} because of it.
 */
public final class Readiness {

    private final BooleanSupplier warm;
    private volatile boolean dropped;

    /** @param warm whether the cache is warm, such as {@code cache::ready} */
    public Readiness(BooleanSupplier warm) {
        this.warm = Objects.requireNonNull(warm, "warm");
    }

    /** {@code true} while the cache is warm and {@link #drop()} has not been called. Never blocks. */
    public boolean ready() {
        return !dropped && warm.getAsBoolean();
    }

    /** Readiness fails from now on, for good, whatever the cache: the first step of a shutdown. Idempotent. */
    public void drop() {
        dropped = true;
    }

    /** Whether {@link #drop()} has been called. */
    public boolean dropped() {
        return dropped;
    }
}
