package workshop.gc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("04.5")
@DisplayName("04.5 A pool of large direct buffers")
@TimeLimit(seconds = 30)
class BufferPoolTest {

    private static final int MIB = 1 << 20;

    /** The allocator the test gives the pool: makes direct buffers and remembers each one it made. */
    private static final class CountingAllocator implements IntFunction<ByteBuffer> {
        final List<ByteBuffer> made = new CopyOnWriteArrayList<>();

        @Override
        public ByteBuffer apply(int size) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            made.add(buffer);
            return buffer;
        }

        int count() {
            return made.size();
        }

        boolean madeThis(ByteBuffer buffer) {
            return made.stream().anyMatch(b -> b == buffer);
        }
    }

    /** What an acquire() on another thread did: its buffer or its exception, and the interrupt status after. */
    private record Lease(ByteBuffer buffer, Throwable thrown, boolean interruptedAfter) {
    }

    private static Background<Lease> acquireInBackground(BufferPool pool) {
        return Background.call("[04.5] acquire()", () -> {
            try {
                return new Lease(pool.acquire(), null, Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                return new Lease(null, e, Thread.currentThread().isInterrupted());
            }
        });
    }

    /** An acquire() that must return soon: it runs on another thread, so that a pool that never answers fails. */
    private static ByteBuffer acquireSoon(BufferPool pool, String whyItShouldReturn) throws InterruptedException {
        Background<Lease> caller = acquireInBackground(pool);
        try {
            Lease lease = awaitWatching("04.5", whyItShouldReturn, caller);
            assertThat(lease.thrown()).as("[04.5] acquire() threw %s although a buffer was idle (README 04.5)",
                    lease.thrown()).isNull();
            return lease.buffer();
        } finally {
            Parked.stop(caller);
        }
    }

    private static void assertCleared(ByteBuffer buffer, String when) {
        assertThat(buffer.position() == 0 && buffer.limit() == buffer.capacity())
                .as("[04.5] %s the buffer had position %d and limit %d of capacity %d: a returned buffer must be "
                        + "cleared (position 0, limit = capacity), or the next user starts where the last one "
                        + "stopped (README 04.5)", when, buffer.position(), buffer.limit(), buffer.capacity())
                .isTrue();
    }

    @Test
    @DisplayName("leases buffers from the allocator and reuses them: a returned buffer comes back, nothing new is "
                 + "allocated")
    void reusesReturnedBuffers() throws InterruptedException {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(1, MIB, allocator);

        ByteBuffer first = pool.acquire();
        assertThat(allocator.madeThis(first)).as("[04.5] acquire() returned a buffer the allocator did not make: "
                + "get buffers from the allocator the pool was given (README 04.5)").isTrue();
        pool.release(first);
        ByteBuffer second = pool.acquire();
        pool.release(second);

        assertThat(second).as("[04.5] after a return, the next lease of a pool of one should be the same buffer, "
                + "reused, not a new one (README 04.5)").isSameAs(first);
        assertThat(allocator.count()).as("[04.5] two leases in a row from a pool of one allocated %d buffers: "
                + "reuse the returned buffer (README 04.5)", allocator.count()).isEqualTo(1);

        BufferPool three = new BufferPool(3, MIB, allocator = new CountingAllocator());
        Set<ByteBuffer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 100; i++) {
            ByteBuffer buffer = three.acquire();
            seen.add(buffer);
            three.release(buffer);
        }
        assertThat(allocator.count()).as("[04.5] 100 leases, one at a time, from a pool of 3 allocated %d buffers "
                + "(%d distinct ones leased): reuse returned buffers, allocate at most the capacity (README 04.5)",
                allocator.count(), seen.size()).isLessThanOrEqualTo(3);
    }

    @Test
    @DisplayName("never allocates more than its capacity: with every buffer leased, acquire() waits (parked, not "
                 + "polling)")
    void waitsWhenAllBuffersAreLeased() throws InterruptedException {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(3, MIB, allocator);
        Set<ByteBuffer> leased = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 3; i++) {
            leased.add(pool.acquire());
        }
        assertThat(leased).as("[04.5] three leases from a pool of 3 should be three different buffers, one "
                + "caller each (README 04.5)").hasSize(3);

        Background<Lease> fourth = acquireInBackground(pool);
        try {
            awaitWaiting(fourth, "04.5", "acquire() returned although all 3 buffers of the pool were leased: a "
                    + "bounded pool waits for a return, it never allocates beyond its capacity");
            assertThat(allocator.count()).as("[04.5] a pool of 3 allocated %d buffers: never more than the "
                    + "capacity (README 04.5)", allocator.count()).isEqualTo(3);
        } finally {
            Parked.stop(fourth);
        }
    }

    @Test
    @DisplayName("a returned buffer goes to a caller waiting in acquire()")
    void aReturnWakesAWaiter() throws InterruptedException {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(1, MIB, allocator);
        ByteBuffer only = pool.acquire();
        Background<Lease> waiter = acquireInBackground(pool);
        try {
            awaitWaiting(waiter, "04.5", "acquire() returned although the pool's only buffer was leased: wait for "
                    + "a return");
            pool.release(only);
            Lease lease = awaitWatching("04.5", "a caller waiting in acquire() was not woken when a buffer came "
                    + "back: release() must signal a waiting caller (a missed signal leaves it waiting for good)",
                    waiter);

            assertThat(lease.buffer()).as("[04.5] the woken caller should get the returned buffer; it got %s "
                    + "(README 04.5)", lease.thrown() != null ? lease.thrown() : lease.buffer()).isSameAs(only);
            assertThat(allocator.count()).as("[04.5] a pool of 1 allocated %d buffers (README 04.5)",
                    allocator.count()).isEqualTo(1);
        } finally {
            Parked.stop(waiter);
        }
    }

    @Test
    @DisplayName("a returned buffer is cleared before its next lease")
    void returnedBuffersAreCleared() throws InterruptedException {
        BufferPool pool = new BufferPool(1, MIB, new CountingAllocator());
        ByteBuffer buffer = pool.acquire();
        assertCleared(buffer, "on its first lease");
        buffer.putLong(42).putLong(43).flip(); // a user leaves it half read: position 0, limit 16
        buffer.getLong();                      // position 8
        pool.release(buffer);

        ByteBuffer again = pool.acquire();
        assertCleared(again, "leased again after a user had read half of it,");
        pool.release(again);
    }

    @Test
    @DisplayName("withBuffer returns the work's result and gives the buffer back")
    void withBufferReturnsTheResult() throws InterruptedException {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(1, MIB, allocator);
        AtomicReference<ByteBuffer> used = new AtomicReference<>();

        String result = pool.withBuffer(buffer -> {
            used.set(buffer);
            buffer.putInt(7);
            return "written";
        });

        assertThat(result).as("[04.5] withBuffer should return what the work returned (README 04.5)")
                .isEqualTo("written");
        ByteBuffer next = acquireSoon(pool, "after withBuffer returned, the pool's only buffer never came back: "
                + "give it back when the work is done");
        assertThat(next).as("[04.5] the next lease after withBuffer should be the buffer it used (README 04.5)")
                .isSameAs(used.get());
        assertCleared(next, "after withBuffer,");
    }

    @Test
    @DisplayName("withBuffer gives the buffer back when the work throws, and passes on what it threw")
    void withBufferReturnsTheBufferWhenTheWorkThrows() throws InterruptedException {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(1, MIB, allocator);
        AtomicReference<ByteBuffer> used = new AtomicReference<>();
        IllegalStateException failure = new IllegalStateException("the work failed");

        Throwable thrown = catchThrowable(() -> pool.withBuffer(buffer -> {
            used.set(buffer);
            throw failure;
        }));
        if (thrown instanceof NotSolvedYet notSolved) {
            throw notSolved;
        }

        assertThat(thrown).as("[04.5] withBuffer should pass on what the work threw, unchanged; it threw %s "
                + "(README 04.5)", thrown).isSameAs(failure);
        ByteBuffer next = acquireSoon(pool, "the buffer leased to a withBuffer whose work threw never came back to "
                + "the pool: give it back in a finally block (Go's defer)");
        assertThat(next).as("[04.5] the next lease should be the buffer the failed work used (README 04.5)")
                .isSameAs(used.get());
        assertThat(allocator.count()).as("[04.5] a pool of 1 allocated %d buffers (README 04.5)", allocator.count())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("a caller interrupted while waiting gets InterruptedException with the status clear, and the pool "
                 + "loses nothing")
    void interruptingAWaiter() throws InterruptedException {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(1, MIB, allocator);
        ByteBuffer only = pool.acquire();
        Background<Lease> waiter = acquireInBackground(pool);
        try {
            awaitWaiting(waiter, "04.5", "acquire() returned although the pool's only buffer was leased: wait for "
                    + "a return");
            waiter.thread().interrupt();
            Lease lease = awaitWatching("04.5", "acquire() did not answer the interrupt: a caller interrupted while "
                    + "waiting must get InterruptedException, not go on waiting (swallowed interrupt?)", waiter);

            assertThat(lease.thrown()).as("[04.5] an interrupted acquire() should throw InterruptedException; it "
                    + "returned %s (README 04.5)", lease.buffer()).isInstanceOf(InterruptedException.class);
            assertThat(lease.interruptedAfter()).as("[04.5] acquire() threw InterruptedException with the interrupt "
                    + "status set again: a method that throws it clears the status, as the JDK's do (README 04.5)")
                    .isFalse();
        } finally {
            Parked.stop(waiter);
        }

        pool.release(only);
        ByteBuffer next = acquireSoon(pool, "after a waiting caller was interrupted, the returned buffer could not "
                + "be leased again: the interrupted call must leave the pool as it found it");
        assertThat(next).as("[04.5] the pool's only buffer should be leased again after the interrupted wait "
                + "(README 04.5)").isSameAs(only);
        assertThat(allocator.count()).as("[04.5] a pool of 1 allocated %d buffers (README 04.5)", allocator.count())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("a buffer returned twice, or never leased, is rejected with IllegalStateException, and never "
                 + "leased to two callers")
    void rejectsADoubleReturn() throws InterruptedException {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(2, MIB, allocator);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire(); // a and b are equal by ByteBuffer.equals: same remaining bytes, all zero
        pool.release(a);

        Throwable second = catchThrowable(() -> pool.release(a));
        assertThat(second).as("[04.5] returning the same buffer twice should throw IllegalStateException; it %s. "
                + "Track leases by identity: ByteBuffer.equals compares contents, so two clear buffers are equal "
                + "(README 04.5)", second == null ? "was accepted" : "threw " + second)
                .isInstanceOf(IllegalStateException.class);
        Throwable foreign = catchThrowable(() -> pool.release(ByteBuffer.allocateDirect(MIB)));
        assertThat(foreign).as("[04.5] returning a buffer the pool never leased should throw "
                + "IllegalStateException; it %s (README 04.5)", foreign == null ? "was accepted" : "threw " + foreign)
                .isInstanceOf(IllegalStateException.class);

        Throwable ofB = catchThrowable(() -> pool.release(b));
        assertThat(ofB).as("[04.5] returning buffer b, leased and not yet returned, was rejected with %s: are leases "
                + "tracked by equals? ByteBuffer.equals and hashCode compare the remaining contents, so two clear "
                + "buffers are equal; track leases by identity (an IdentityHashMap) (README 04.5)", ofB).isNull();
        ByteBuffer x = acquireSoon(pool, "both buffers were back, yet acquire() waited");
        ByteBuffer y = acquireSoon(pool, "both buffers were back, yet a second acquire() waited");
        assertThat(x).as("[04.5] after a buffer was returned twice, two leases got the same buffer: one buffer, two "
                + "users at once (README 04.5)").isNotSameAs(y);
        assertThat(allocator.count()).as("[04.5] a pool of 2 allocated %d buffers (README 04.5)", allocator.count())
                .isLessThanOrEqualTo(2);
    }

    @Test
    @DisplayName("8 threads sharing a pool of 3: never one buffer for two users, never more than 3 allocated")
    void manyThreadsShareThePool() throws Exception {
        CountingAllocator allocator = new CountingAllocator();
        BufferPool pool = new BufferPool(3, MIB, allocator);
        Map<ByteBuffer, AtomicInteger> users = Collections.synchronizedMap(new IdentityHashMap<>());
        AtomicInteger shared = new AtomicInteger();
        AtomicInteger notCleared = new AtomicInteger();
        List<Future<?>> tasks = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(8, Thread.ofPlatform().name("[04.5] user-", 0)
                .factory());
        try {
            for (int t = 0; t < 8; t++) {
                tasks.add(threads.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        pool.withBuffer(buffer -> {
                            AtomicInteger count = users.computeIfAbsent(buffer, k -> new AtomicInteger());
                            if (count.incrementAndGet() > 1) {
                                shared.incrementAndGet();
                            }
                            if (buffer.position() != 0 || buffer.limit() != buffer.capacity()) {
                                notCleared.incrementAndGet();
                            }
                            buffer.putLong(Thread.currentThread().threadId());
                            Thread.yield();
                            count.decrementAndGet();
                            return null;
                        });
                    }
                    return null;
                }));
            }
            threads.shutdown();
            boolean ended = threads.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            Parked.rethrowFailures(tasks);
            assertThat(ended).as("[04.5] 8 threads doing 300 leases each from a pool of 3 did not finish in %d s: "
                    + "a caller waits for good when a return does not wake it (README 04.5)", PATIENCE.toSeconds())
                    .isTrue();
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(shared.get()).as("[04.5] a buffer was leased to two threads at once %d times: the pool's state "
                + "must change under a lock (README 04.5)", shared.get()).isZero();
        assertThat(notCleared.get()).as("[04.5] %d leases got a buffer that was not cleared (README 04.5)",
                notCleared.get()).isZero();
        assertThat(allocator.count()).as("[04.5] a pool of 3 shared by 8 threads allocated %d buffers: never more "
                + "than the capacity (README 04.5)", allocator.count()).isLessThanOrEqualTo(3);
    }
}
