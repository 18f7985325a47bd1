package workshop.support.memory;

import org.junit.jupiter.api.Assumptions;
import workshop.support.testing.Patience;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the heap still holds after garbage collection: an observation the code under test cannot filter. A test drops
 * its own references to objects, keeps only {@link WeakReference}s to them, and asks how many are still reachable
 * after collections while the object that should have let go of them stays reachable itself
 * ({@link Reference#reachabilityFence}).
 *
 * <p>Create the objects in a method of their own that returns nothing but the weak references: a local variable of
 * the test method may keep its last value alive in an interpreted frame.
 *
 * <p>Every wait here has a deadline ({@link #PATIENCE}), never "at once": reference processing, a {@code Cleaner}'s
 * actions and a {@code WeakHashMap}'s expunging run some time after {@code System.gc()} returns, on other threads.
 * If no collection ran at all within the deadline (explicit GC disabled, {@code -XX:+DisableExplicitGC}), the test
 * is aborted with a message, not failed: it cannot observe anything.
 */
public final class Heap {

    /** How long a test waits for collections to clear what they should. */
    public static final Duration PATIENCE = Patience.seconds(10);

    /** Collections confirmed by a canary (a fresh object nobody holds) before survivors count as surviving. */
    private static final int CONFIRMED_COLLECTIONS = 3;

    /** Collections after which something that should follow one (a cleaning action) counts as never coming. */
    private static final int CONFIRMED_COLLECTIONS_FOR_AFTERMATH = 50;

    private Heap() {
    }

    /**
     * Collects garbage until every referent of {@code refs} has been cleared, or until {@value #CONFIRMED_COLLECTIONS}
     * collections have demonstrably run (a canary cleared each time), and returns how many referents are still
     * reachable.
     */
    public static int survivors(String id, Collection<? extends Reference<?>> refs) {
        collectUntil(id, () -> alive(refs) == 0, CONFIRMED_COLLECTIONS);
        return alive(refs);
    }

    /** {@link #survivors} of one reference: whether its referent is still reachable after collections. */
    public static boolean survives(String id, Reference<?> ref) {
        return survivors(id, List.of(ref)) > 0;
    }

    /**
     * Collects garbage until {@code condition} holds (checked after each collection, for something that happens
     * because of one: a cleaning action ran, a weak map let go of an entry), or until
     * {@value #CONFIRMED_COLLECTIONS_FOR_AFTERMATH} collections have run, or until the deadline; returns whether it
     * held. Aborts the test if no collection ran at all.
     */
    public static boolean collectUntil(String id, BooleanSupplier condition) {
        return collectUntil(id, condition, CONFIRMED_COLLECTIONS_FOR_AFTERMATH);
    }

    /** Sum of the collection counts of every collector of this JVM: rises when a collection ran. */
    public static long collections() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        return sum;
    }

    private static boolean collectUntil(String id, BooleanSupplier condition, int enoughCollections) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int confirmed = 0;
        WeakReference<Object> canary = new WeakReference<>(new Object());
        while (true) {
            System.gc();
            if (canary.refersTo(null)) {
                confirmed++;
                canary = new WeakReference<>(new Object());
            }
            if (confirmed > 0 && (condition.getAsBoolean() || confirmed >= enoughCollections)) {
                return condition.getAsBoolean();
            }
            if (System.nanoTime() - deadline > 0) {
                Assumptions.assumeTrue(confirmed > 0, "[" + id + "] this test looks at what the heap keeps, and "
                        + "System.gc() collected nothing in " + PATIENCE.toSeconds() + " s: is explicit GC disabled "
                        + "(-XX:+DisableExplicitGC)? Run the tests without it");
                return condition.getAsBoolean();
            }
            try {
                Thread.sleep(10); // reference processing and cleaners run on other threads: give them a moment
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("[" + id + "] interrupted while waiting for garbage collection", e);
            }
        }
    }

    private static int alive(Collection<? extends Reference<?>> refs) {
        int alive = 0;
        for (Reference<?> ref : refs) {
            if (!ref.refersTo(null)) {
                alive++;
            }
        }
        return alive;
    }
}
