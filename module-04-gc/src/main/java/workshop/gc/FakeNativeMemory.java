package workshop.gc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for memory outside the heap (what {@code malloc}/{@code free} or a file descriptor would be), for
 * exercise 04.6: it hands out addresses and counts allocations, frees and double frees, so that a test can see what a
 * {@link NativeHandle} did. Unlike real native memory, a double free here is counted and reported, not a crash.
 *
 * <p>Thread-safe: a {@code Cleaner} frees on a thread of its own.
 */
public final class FakeNativeMemory {

    private final AtomicLong nextAddress = new AtomicLong(0x1000);
    private final Map<Long, Long> live = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> freesByAddress = new ConcurrentHashMap<>();
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicLong frees = new AtomicLong();
    private final AtomicLong doubleFrees = new AtomicLong();

    /** Allocates {@code bytes} bytes and returns their address: never 0, never one handed out before. */
    public long allocate(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive: " + bytes);
        }
        long address = nextAddress.getAndAdd(Math.max(16, (bytes + 15) & ~15L));
        live.put(address, bytes);
        freesByAddress.put(address, new AtomicLong());
        allocations.incrementAndGet();
        return address;
    }

    /**
     * Frees the memory at {@code address}.
     *
     * @throws IllegalStateException if it was freed already (a double free: counted in {@link #doubleFrees()}) or
     *                               never allocated here
     */
    public void free(long address) {
        AtomicLong count = freesByAddress.get(address);
        long n = count == null ? 2 : count.incrementAndGet();
        if (n > 1 || live.remove(address) == null) {
            doubleFrees.incrementAndGet();
            throw new IllegalStateException("double free of address 0x" + Long.toHexString(address));
        }
        frees.incrementAndGet();
    }

    /** Whether the memory at {@code address} is allocated and not freed yet. */
    public boolean isLive(long address) {
        return live.containsKey(address);
    }

    /** How many times {@code address} was freed: 0 or 1, unless it was freed twice. */
    public long freesOf(long address) {
        AtomicLong count = freesByAddress.get(address);
        return count == null ? 0 : count.get();
    }

    /** Allocations so far. */
    public long allocations() {
        return allocations.get();
    }

    /** Successful frees so far. */
    public long frees() {
        return frees.get();
    }

    /** Frees of memory that was freed already, or never allocated. */
    public long doubleFrees() {
        return doubleFrees.get();
    }

    /** Allocations not freed yet. */
    public long liveAllocations() {
        return live.size();
    }
}
