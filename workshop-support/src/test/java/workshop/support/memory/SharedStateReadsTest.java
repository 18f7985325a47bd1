package workshop.support.memory;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("SharedStateReads")
class SharedStateReadsTest {

    /** Known bad: a locked writer next to a getter that reads the same plain field with no lock. */
    static final class UnlockedGetter {
        private final ReentrantLock lock = new ReentrantLock();
        private long count;

        void hit() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }

        long count() {
            return count;
        }
    }

    /** Known bad: a fast path that reads a plain flag before it takes the lock (double-checked, no volatile). */
    static final class PlainFastPath {
        private Object value;

        Object get() {
            Object v = value;
            if (v != null) {
                return v;
            }
            synchronized (this) {
                if (value == null) {
                    value = new Object();
                }
                return value;
            }
        }
    }

    /** Known bad: a final field that holds a HashMap changed in place, read without a lock. */
    static final class SharedHashMap {
        private final Map<String, Integer> counts = new HashMap<>();

        synchronized void add(String word) {
            counts.merge(word, 1, Integer::sum);
        }

        int count(String word) {
            return counts.getOrDefault(word, 0);
        }
    }

    /** Known good: the same getter, with the writer's lock. */
    static final class LockedGetter {
        private final ReentrantLock lock = new ReentrantLock();
        private long count;

        void hit() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }

        long count() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Known good: double-checked with a volatile field. */
    static final class VolatileFastPath {
        private volatile Object value;

        Object get() {
            Object v = value;
            if (v != null) {
                return v;
            }
            synchronized (this) {
                if (value == null) {
                    value = new Object();
                }
                return value;
            }
        }
    }

    /** Known good: a final field that holds a concurrent map. */
    static final class SharedConcurrentMap {
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();

        void add(String word) {
            counts.merge(word, 1, Integer::sum);
        }

        int count(String word) {
            return counts.getOrDefault(word, 0);
        }
    }

    @Nested
    @DisplayName("reports")
    class Reports {

        @Test
        @DisplayName("a getter that reads a plain field with no lock next to a locked writer")
        void anUnlockedGetter() {
            assertThat(SharedStateReads.of(UnlockedGetter.class, new UnlockedGetter(), null))
                    .as("unsafe reads of a class whose count() takes no lock")
                    .anySatisfy(read -> {
                        assertThat(read.method()).isEqualTo("count");
                        assertThat(read.field()).isEqualTo("count");
                    });
        }

        @Test
        @DisplayName("a fast path that reads a plain field before it takes the lock")
        void aPlainFastPath() {
            assertThat(SharedStateReads.of(PlainFastPath.class, new PlainFastPath(), null))
                    .as("unsafe reads of double-checked locking without volatile")
                    .anySatisfy(read -> assertThat(read.field()).isEqualTo("value"));
        }

        @Test
        @DisplayName("a HashMap that a final field holds, read with no lock and changed in place")
        void aSharedHashMap() {
            assertThat(SharedStateReads.of(SharedHashMap.class, new SharedHashMap(), null))
                    .as("unsafe reads of a HashMap changed under a lock and read without one")
                    .anySatisfy(read -> assertThat(read.field()).isEqualTo("counts"));
        }
    }

    @Nested
    @DisplayName("accepts")
    class Accepts {

        @Test
        @DisplayName("a getter that takes the writer's lock")
        void aLockedGetter() {
            assertThat(SharedStateReads.of(LockedGetter.class, new LockedGetter(), null))
                    .as("unsafe reads of a class whose every read is under its lock").isEmpty();
        }

        @Test
        @DisplayName("a fast path on a volatile field")
        void aVolatileFastPath() {
            assertThat(SharedStateReads.of(VolatileFastPath.class, new VolatileFastPath(), null))
                    .as("unsafe reads of double-checked locking with volatile").isEmpty();
        }

        @Test
        @DisplayName("a final field that holds a concurrent map")
        void aConcurrentMap() {
            assertThat(SharedStateReads.of(SharedConcurrentMap.class, new SharedConcurrentMap(), null))
                    .as("unsafe reads of a class that shares a ConcurrentHashMap").isEmpty();
        }
    }
}
