package workshop.gc;

import java.lang.ref.Cleaner;

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

    /** One cleaner, and so one thread, for every handle. */
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * The cleaning action: a static nested class (a lambda or an inner class could capture the handle, which would
     * then stay reachable from the cleaner and never be collected). It holds what freeing needs, never the handle.
     */
    private record Free(FakeNativeMemory memory, long address) implements Runnable {
        @Override
        public void run() {
            memory.free(address);
        }
    }

    private final long address;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    private NativeHandle(FakeNativeMemory memory, long address) {
        this.address = address;
        this.cleanable = CLEANER.register(this, new Free(memory, address));
    }

    /**
     * Allocates {@code bytes} bytes of {@code memory} and returns a handle that owns them. If the handle is never
     * closed, the memory is freed some time after the handle has become unreachable.
     */
    public static NativeHandle allocate(FakeNativeMemory memory, long bytes) {
        return new NativeHandle(memory, memory.allocate(bytes));
    }

    /**
     * The address of the memory this handle owns.
     *
     * @throws IllegalStateException if the handle is closed
     */
    public long address() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        return address;
    }

    /**
     * Frees the memory, unless it was freed already. Idempotent and thread-safe: however many threads call it, however
     * often, the memory is freed exactly once, and never again by the cleaner.
     */
    @Override
    public void close() {
        closed = true;
        cleanable.clean(); // runs the action at most once, whoever calls it, and unregisters it from the cleaner
    }
}
