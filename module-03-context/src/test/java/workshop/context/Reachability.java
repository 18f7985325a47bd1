package workshop.context;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Collection;

import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;

/**
 * What the heap still holds: an observation the code under test cannot filter. A test drops its own references to
 * objects (a cancelled child, a stopped function), keeps only {@link WeakReference}s to them, and asks how many are
 * still reachable after garbage collection while the object that should have let go of them (the parent) stays
 * reachable itself ({@link Reference#reachabilityFence}).
 *
 * <p>Creating the objects in a method of their own, which returns nothing but the weak references, matters: a local
 * variable of the test method may keep its last value alive in an interpreted frame.
 */
final class Reachability {

    /** Collections confirmed by a canary (a fresh object nobody holds) before the survivors count. */
    private static final int CONFIRMED_COLLECTIONS = 3;

    private Reachability() {
    }

    /**
     * Collects garbage until every referent of {@code refs} has been cleared, or until {@value #CONFIRMED_COLLECTIONS}
     * collections have demonstrably run (a canary cleared each time), and returns how many referents are still
     * reachable. Waits with a deadline ({@link workshop.support.testing.Parked#PATIENCE}), not at once: a collection
     * may clear references some time after {@code System.gc()} was asked for. If no collection ran at all within the
     * deadline (explicit GC disabled, {@code -XX:+DisableExplicitGC}), the test is aborted, not failed: it cannot
     * observe anything.
     */
    static int survivors(String id, Collection<? extends Reference<?>> refs) {
        int[] confirmed = {0};
        @SuppressWarnings("unchecked")
        WeakReference<Object>[] canary = new WeakReference[] {new WeakReference<>(new Object())};
        try {
            await("[" + id + "] garbage collection").pollInSameThread().atMost(PATIENCE).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        System.gc();
                        if (canary[0].refersTo(null)) {
                            confirmed[0]++;
                            canary[0] = new WeakReference<>(new Object());
                        }
                        return confirmed[0] > 0
                                && (alive(refs) == 0 || confirmed[0] >= CONFIRMED_COLLECTIONS);
                    });
        } catch (ConditionTimeoutException e) {
            Assumptions.assumeTrue(confirmed[0] > 0, "[" + id + "] this test looks at what the heap keeps, and "
                    + "System.gc() collected nothing in " + PATIENCE.toSeconds() + " s: is explicit GC disabled "
                    + "(-XX:+DisableExplicitGC)? Run the tests without it");
        }
        return alive(refs);
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
