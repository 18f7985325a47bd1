package workshop.gc;

import workshop.support.NotSolvedYet;

/**
 * Exercise 04.6: A Cleaner as a safety net
 *
 * <p>A handle on memory outside the heap. {@link #close()} is the real way to free it, exactly once however often and
 * from however many threads it is called; a {@link java.lang.ref.Cleaner} frees a handle that nobody closed, some time
 * after the handle has become unreachable, as a safety net.
 *
 * <pre>{@code
 * h := &Handle{addr: C.malloc(n)}
 * runtime.AddCleanup(h, func(addr unsafe.Pointer) { C.free(addr) }, h.addr) // Go 1.24: the argument must not be h
 * defer h.Close()                                                            // the real path
 * }</pre>
 */
public final class NativeHandle implements AutoCloseable {

    // TODO 04.6: what must the cleaning action hold, and what must it never hold?

    private NativeHandle() {
    }

    /**
     * Allocates {@code bytes} bytes of {@code memory} and returns a handle that owns them. If the handle is never
     * closed, the memory is freed some time after the handle has become unreachable.
     */
    public static NativeHandle allocate(FakeNativeMemory memory, long bytes) {
        // TODO 04.6: allocate, then register the cleaning action that frees it if nobody closes the handle
        throw new NotSolvedYet("04.6");
    }

    /**
     * The address of the memory this handle owns.
     *
     * @throws IllegalStateException if the handle is closed
     */
    public long address() {
        // TODO 04.6: the address, while the handle is open
        throw new NotSolvedYet("04.6");
    }

    /**
     * Frees the memory, unless it was freed already. Idempotent and thread-safe: however many threads call it, however
     * often, the memory is freed exactly once, and never again by the cleaner.
     */
    @Override
    public void close() {
        // TODO 04.6: free exactly once, and make sure the cleaner will not free it again
        throw new NotSolvedYet("04.6");
    }
}
