package workshop.gc;

import workshop.support.NotSolvedYet;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Exercise 04.5: A pool of large direct buffers
 *
 * <p>Direct buffers live outside the heap, cost a system call and zeroing to allocate, and are freed only after a GC
 * finds their owner unreachable: the one kind of object that pays to pool on the JVM. Lend at most {@code capacity}
 * of them, reuse each one, and get every lease back, even from code that throws.
 *
 * <pre>{@code
 * var pool = sync.Pool{New: func() any { return make([]byte, 1<<20) }}  // unbounded: may drop buffers at any GC
 * buf := pool.Get().([]byte)
 * defer pool.Put(buf)                                                   // returned even if the code panics
 * // a bounded pool in Go is a buffered channel of buffers: <-free blocks when all are leased
 * }</pre>
 */
public final class BufferPool {

    private final int capacity;
    private final int bufferSize;
    private final IntFunction<ByteBuffer> allocator;

    /**
     * A pool that lends at most {@code capacity} buffers of {@code bufferSize} bytes. Buffers come from
     * {@code allocator} (called with {@code bufferSize}), which this pool calls at most {@code capacity} times in
     * its whole life; whether it allocates them all at once or on demand is up to the pool.
     *
     * @param allocator makes one buffer, typically {@code ByteBuffer::allocateDirect}
     */
    public BufferPool(int capacity, int bufferSize, IntFunction<ByteBuffer> allocator) {
        if (capacity <= 0 || bufferSize <= 0) {
            throw new IllegalArgumentException("capacity and bufferSize must be positive: " + capacity + ", "
                    + bufferSize);
        }
        this.capacity = capacity;
        this.bufferSize = bufferSize;
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /**
     * Leases a buffer: an idle one if there is one, a new one if fewer than {@code capacity} exist, otherwise waits
     * until one is returned. A buffer is leased to one caller at a time. It comes cleared: position 0, limit equal to
     * its capacity (its contents are not wiped).
     *
     * <p>Blocks, without a time-out, while all {@code capacity} buffers are leased.
     *
     * @throws InterruptedException if the caller is interrupted while waiting (it may also be thrown when the caller
     *                              is interrupted on entry, as {@code ArrayBlockingQueue.take()} does); the interrupt
     *                              status is then clear, and the pool is as if this call had never been made
     */
    public ByteBuffer acquire() throws InterruptedException {
        // TODO 04.5: reuse an idle buffer, allocate while under capacity, and otherwise wait to be told of a return
        throw new NotSolvedYet("04.5");
    }

    /**
     * Returns a leased buffer to the pool, cleared as by {@link ByteBuffer#clear()}, and wakes a caller waiting in
     * {@link #acquire()}, if any.
     *
     * <p>Memory consistency effects: actions of the caller before it returns a buffer happen-before the next lease
     * of that buffer returns.
     *
     * @throws IllegalStateException if {@code buffer} is not leased from this pool right now: returned already, or
     *                               never leased from it. The pool is unchanged then.
     */
    public void release(ByteBuffer buffer) {
        // TODO 04.5: only a buffer that is out on lease may come back, and a caller may be waiting for it
        throw new NotSolvedYet("04.5");
    }

    /**
     * Leases a buffer, applies {@code work} to it and returns the result; the buffer goes back to the pool when
     * {@code work} returns or throws (what it throws is passed on unchanged). {@code work} must not keep the buffer.
     *
     * @throws InterruptedException as {@link #acquire()}
     */
    public <T> T withBuffer(Function<? super ByteBuffer, ? extends T> work) throws InterruptedException {
        // TODO 04.5: Go's defer pool.Put(buf), the Java way
        throw new NotSolvedYet("04.5");
    }

    /** How many buffers this pool lends at most. */
    public int capacity() {
        return capacity;
    }

    /** The size in bytes of each buffer. */
    public int bufferSize() {
        return bufferSize;
    }
}
