package workshop.gc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.gc.SessionRegistry.Session;
import workshop.support.memory.Heap;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.PATIENCE;

/**
 * Each test keeps only weak references to what should become collectable, made in methods of their own (a local
 * variable of a running method may keep its last value alive), and asks the heap, not the registry, what is left.
 */
@Tag("04.2")
@DisplayName("04.2 A registry that lets go")
class SessionRegistryTest {

    /** What a test keeps of a session it opened: its token, and weak references to it and to its attribute. */
    private record Opened(String token, WeakReference<Session> session, WeakReference<Object> attribute) {
    }

    /** Opens a session of {@code user} with a 1 MB attribute, and returns only what the test may keep of it. */
    private static Opened open(SessionRegistry registry, String user) {
        Session session = registry.open(user);
        byte[] cart = new byte[1 << 20];
        session.attributes().put("cart", cart);
        return new Opened(session.token(), new WeakReference<>(session), new WeakReference<>(cart));
    }

    /** Closes the session of {@code opened}, twice: the second close must do nothing. */
    private static void closeTwice(SessionRegistry registry, Opened opened) {
        Session session = registry.find(opened.token()).orElseThrow(() -> new AssertionError("[04.2] find() did not "
                + "find a session that was open, and that only the registry held (as in a server): a registry must "
                + "keep open sessions reachable, and let go of them when they end (README 04.2)"));
        session.close();
        session.close();
    }

    private static void assertUnreachable(String how, List<Opened> ended) {
        List<Reference<?>> refs = new ArrayList<>();
        ended.forEach(o -> {
            refs.add(o.session());
            refs.add(o.attribute());
        });
        int survivors = Heap.survivors("04.2", refs);
        assertThat(survivors).as("[04.2] %d session(s) %s, and nothing but the registry could still reach them; after "
                + "garbage collection %d of their %d objects (the sessions and their 1 MB attributes) were still "
                + "reachable: the registry still references an ended session. Hiding it from find() is not letting "
                + "go: what still points at it? (README 04.2)", ended.size(), how, survivors, refs.size()).isZero();
    }

    @Test
    @DisplayName("a closed session is no longer found, and nothing in the registry keeps it or its attributes alive")
    void aClosedSessionBecomesUnreachable() {
        SessionRegistry registry = new SessionRegistry();
        Opened first = open(registry, "ann");
        Opened second = open(registry, "ann");

        closeTwice(registry, first);
        closeTwice(registry, second);

        assertThat(registry.find(first.token())).as("[04.2] find() of a closed session (README 04.2)").isEmpty();
        assertThat(registry.sessionsOf("ann")).as("[04.2] sessionsOf() a user whose sessions were all closed "
                + "(README 04.2)").isEmpty();
        assertUnreachable("were closed with close()", List.of(first, second));
        Reference.reachabilityFence(registry);
    }

    @Test
    @DisplayName("sessions ended by endAllOf(user) become unreachable too, and the open sessions of others stay")
    void sessionsEndedByEndAllOfBecomeUnreachable() {
        SessionRegistry registry = new SessionRegistry();
        List<Opened> ann = List.of(open(registry, "ann"), open(registry, "ann"), open(registry, "ann"));
        Opened bob = open(registry, "bob"); // nobody but the registry holds bob's session from here on
        closeTwice(registry, ann.getFirst());

        int ended = registry.endAllOf("ann");

        assertThat(ended).as("[04.2] endAllOf(\"ann\") with 3 sessions, 1 of them closed before: how many it ended "
                + "(README 04.2)").isEqualTo(2);
        assertThat(registry.endAllOf("ann")).as("[04.2] a second endAllOf(\"ann\") (README 04.2)").isZero();
        assertUnreachable("of \"ann\" were ended, 1 by close() and 2 by endAllOf()", ann);
        assertThat(Heap.survives("04.2", bob.session())).as("[04.2] bob's session is open and only the registry "
                + "holds it, yet garbage collection took it: a registry of weak references loses sessions that are "
                + "still in use; a registry must keep open sessions reachable, and let go of them when they end "
                + "(README 04.2)").isTrue();
        assertThat(registry.find(bob.token())).as("[04.2] find() of bob's open session after garbage collection "
                + "(README 04.2)").isPresent();
        assertThat(registry.sessionsOf("bob")).as("[04.2] sessionsOf(\"bob\") after garbage collection "
                + "(README 04.2)").hasSize(1);
        Reference.reachabilityFence(registry);
    }

    /** Opens two sessions of a user whose name is a fresh string, and returns a weak reference to that string. */
    private static WeakReference<String> userWithTwoSessionsEnded(SessionRegistry registry) {
        String user = new String("dora"); // a fresh object, not the interned literal: only the registry may hold it
        Opened first = open(registry, user);
        open(registry, user);
        closeTwice(registry, first);
        registry.endAllOf(user);
        return new WeakReference<>(user);
    }

    @Test
    @DisplayName("once every session of a user has ended, the registry keeps nothing of that user")
    void aUserWithNoSessionLeftIsForgotten() {
        SessionRegistry registry = new SessionRegistry();
        WeakReference<String> user = userWithTwoSessionsEnded(registry);

        assertThat(Heap.survives("04.2", user)).as("[04.2] every session of \"dora\" had ended, yet the registry "
                + "still held the user's name after garbage collection: an empty entry per user ever seen is a leak "
                + "too (a map from user to an empty set); remove a user's entry with their last session "
                + "(README 04.2)").isFalse();
        assertThat(registry.sessionsOf("dora")).as("[04.2] sessionsOf() a user whose sessions all ended "
                + "(README 04.2)").isEmpty();
        Reference.reachabilityFence(registry);
    }

    @Test
    @DisplayName("threads that open and close sessions of one user at once never lose an open one, nor keep a closed "
                 + "one")
    void threadsThatOpenAndCloseAtOnceLoseNothingAndKeepNothing() throws InterruptedException {
        SessionRegistry registry = new SessionRegistry();
        List<WeakReference<Session>> closed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unlisted = new AtomicInteger();
        churn(registry, 100, closed, unlisted); // on this thread first: a registry that keeps them fails here, fast
        assertThat(Heap.survivors("04.2", closed)).as("[04.2] of 100 sessions of \"eve\" opened and closed one "
                + "after the other, some were still reachable after garbage collection: the registry still "
                + "references an ended session (README 04.2)").isZero();
        int threads = 4;
        int rounds = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                workers.add(executor.submit(() -> {
                    go.await(); // all threads start together
                    churn(registry, rounds, closed, unlisted);
                    return null;
                }));
            }
            go.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("[04.2] %d threads "
                    + "opening and closing %,d sessions each did not finish within %d s (README 04.2)",
                    threads, rounds, PATIENCE.toSeconds()).isTrue();
        } finally {
            executor.shutdownNow();
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                throw new AssertionError("[04.2] a thread that opened and closed sessions failed: " + e.getCause()
                        + " (README 04.2)", e.getCause());
            }
        }

        assertThat(unlisted.get()).as("[04.2] %d threads each opened a session of \"eve\", checked that "
                + "sessionsOf(\"eve\") listed it, and closed it, %,d times at once: %d open sessions were not listed. "
                + "A user's set was removed because it looked empty while another thread was adding to it: add and "
                + "remove-when-empty must not interleave (do both inside the map's compute methods) (README 04.2)",
                threads, rounds, unlisted.get()).isZero();
        int alive = Heap.survivors("04.2", closed);
        assertThat(alive).as("[04.2] of %,d sessions that %d threads opened and closed at once (every 100th watched), "
                + "%d were still reachable after garbage collection: the registry still references an ended session "
                + "(README 04.2)", closed.size(), threads, alive).isZero();
        assertThat(registry.sessionsOf("eve")).as("[04.2] sessionsOf(\"eve\") once every session of hers was "
                + "closed (README 04.2)").isEmpty();
        Reference.reachabilityFence(registry);
    }

    /**
     * Opens a session of "eve", counts it if sessionsOf does not list it, and closes it, {@code rounds} times; keeps a
     * weak reference to each one when there are 100 rounds or fewer, else to every 100th.
     */
    private static void churn(SessionRegistry registry, int rounds, List<WeakReference<Session>> closed,
                              AtomicInteger unlisted) {
        for (int i = 0; i < rounds; i++) {
            Session session = registry.open("eve");
            if (!registry.sessionsOf("eve").contains(session)) {
                unlisted.incrementAndGet();
            }
            session.close();
            if (i % 100 == 0 || rounds <= 100) {
                closed.add(new WeakReference<>(session));
            }
        }
    }
}
