package workshop.patterns.lab;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * The JMH benchmark behind the first table of {@link PatternsLab}: a shared map of {@value #KEYS} {@code Integer} keys,
 * filled before the trial, read and written by 1, 2 or 4 JMH threads at once (the runner's {@code threads(n)}), each
 * operation a {@code get} or a {@code put} of an existing key as the mix says. Four maps:
 * <ul>
 * <li>{@code ConcurrentHashMap}: lock-free reads (volatile loads), a write locks one bin;
 * <li>{@code ReentrantReadWriteLock}: a {@link HashMap} behind a (non-fair) read-write lock;
 * <li>{@code StampedLock}: a {@link HashMap} read under an optimistic stamp, re-read under the read lock when a write
 *     happened meanwhile (the stamp does not validate); written under the write lock;
 * <li>{@code synchronized}: a {@link HashMap} whose {@code get} and {@code put} are {@code synchronized} methods.
 * </ul>
 *
 * <p>What is measured: the throughput of the whole map, all threads' operations per microsecond (JMH sums the threads'
 * scores in {@link Mode#Throughput}). A key is chosen by a per-thread xorshift generator (a few nanoseconds, no shared
 * state); the same draw decides read or write. Keys and values are pre-allocated {@code Integer}s, so boxing is not
 * measured. Puts only replace values of keys that are already there, so no map ever resizes or changes its structure:
 * that is also why the optimistic read of a plain {@code HashMap} cannot go wrong here (a general-purpose map read
 * optimistically must also survive a concurrent resize: see {@link StampedMap#get}).
 * What is not measured: a map that grows, iteration, {@code computeIfAbsent}, or single-operation latency.
 */
public class MapBenchmarks {

    static final int KEYS = 1024; // a power of two: a key index is the generator's low bits
    static final Integer[] KEY = new Integer[KEYS];
    static final Integer[] VALUE = new Integer[KEYS];

    static {
        for (int i = 0; i < KEYS; i++) {
            KEY[i] = i * 31 + 1_000_000; // outside Integer's cache: these are ordinary objects
            VALUE[i] = -i - 1_000_000;
        }
    }

    /** The two operations of the four maps, behind one name. */
    interface IntMap {
        Integer get(Integer key);

        void put(Integer key, Integer value);
    }

    record Concurrent(ConcurrentHashMap<Integer, Integer> map) implements IntMap {
        @Override
        public Integer get(Integer key) {
            return map.get(key);
        }

        @Override
        public void put(Integer key, Integer value) {
            map.put(key, value);
        }
    }

    static final class ReadWriteLocked implements IntMap {
        private final Map<Integer, Integer> map = new HashMap<>(2 * KEYS);
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

        @Override
        public Integer get(Integer key) {
            lock.readLock().lock();
            try {
                return map.get(key);
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public void put(Integer key, Integer value) {
            lock.writeLock().lock();
            try {
                map.put(key, value);
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    static final class StampedMap implements IntMap {
        private final Map<Integer, Integer> map = new HashMap<>(2 * KEYS);
        private final StampedLock lock = new StampedLock();

        /**
         * Reads without locking, then validates the stamp: if no write lock was taken since, the value read is
         * consistent; if one was, reads again under the read lock. The optimistic read may see a half-done write, so
         * whatever it does must not fail or loop on an inconsistent map: here no write changes the structure, and the
         * {@code catch} covers a general-purpose use (a resize seen half-way) by falling back to the read lock too.
         */
        @Override
        public Integer get(Integer key) {
            long stamp = lock.tryOptimisticRead();
            Integer value;
            try {
                value = map.get(key);
            } catch (RuntimeException inconsistent) {
                value = null;
                stamp = 0; // never validates
            }
            if (lock.validate(stamp)) return value;
            stamp = lock.readLock();
            try {
                return map.get(key);
            } finally {
                lock.unlockRead(stamp);
            }
        }

        @Override
        public void put(Integer key, Integer value) {
            long stamp = lock.writeLock();
            try {
                map.put(key, value);
            } finally {
                lock.unlockWrite(stamp);
            }
        }
    }

    static final class Synchronized implements IntMap {
        private final Map<Integer, Integer> map = new HashMap<>(2 * KEYS);

        @Override
        public synchronized Integer get(Integer key) {
            return map.get(key);
        }

        @Override
        public synchronized void put(Integer key, Integer value) {
            map.put(key, value);
        }
    }

    static IntMap newMap(String impl) {
        return switch (impl) {
            case "ConcurrentHashMap" -> new Concurrent(new ConcurrentHashMap<>(2 * KEYS));
            case "ReentrantReadWriteLock" -> new ReadWriteLocked();
            case "StampedLock" -> new StampedMap();
            case "synchronized" -> new Synchronized();
            default -> throw new IllegalArgumentException("unknown map " + impl);
        };
    }

    /** The shared map of one trial, filled with every key. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"ConcurrentHashMap", "ReentrantReadWriteLock", "StampedLock", "synchronized"})
        public String impl;

        /** Percentage of operations that are reads: 90, 50 or 10. */
        @Param({"90", "50", "10"})
        public int readPercent;

        IntMap map;

        @Setup(Level.Trial)
        public void setUp() {
            map = newMap(impl);
            for (int i = 0; i < KEYS; i++) map.put(KEY[i], VALUE[i]);
        }
    }

    private static final AtomicLong SEEDS = new AtomicLong(0x9E3779B97F4A7C15L);

    /** One thread's generator: xorshift64, seeded differently for each thread. */
    @State(Scope.Thread)
    public static class Rng {
        long x;

        @Setup(Level.Trial)
        public void setUp() {
            x = SEEDS.addAndGet(0x9E3779B97F4A7C15L) | 1;
        }

        long next() {
            long v = x;
            v ^= v << 13;
            v ^= v >>> 7;
            v ^= v << 17;
            return x = v;
        }
    }

    /**
     * One operation: the low 10 bits of a draw pick the key, the high 32 bits scaled to 0..99 pick read or write; a
     * write stores a value picked by other bits, so successive writes of a key change it.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS) // operations per microsecond, all threads together
    public Integer op(Shared s, Rng r) {
        long x = r.next();
        int key = (int) x & (KEYS - 1);
        int roll = (int) (((x >>> 32) * 100) >>> 32);
        if (roll < s.readPercent) return s.map.get(KEY[key]);
        s.map.put(KEY[key], VALUE[(int) (x >>> 12) & (KEYS - 1)]);
        return null;
    }
}
