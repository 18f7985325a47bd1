package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("05.9")
@DisplayName("05.9 Errors with context")
class CausesTest {

    /** Every exception reachable from {@code top} through causes and suppressed exceptions, each once (by identity). */
    static List<Throwable> tree(Throwable top) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> found = new ArrayList<>();
        Deque<Throwable> toVisit = new ArrayDeque<>();
        if (top != null) {
            toVisit.push(top);
        }
        while (!toVisit.isEmpty()) {
            Throwable next = toVisit.pop();
            if (!seen.add(next)) {
                continue;
            }
            found.add(next);
            for (Throwable suppressed : next.getSuppressed()) {
                toVisit.push(suppressed);
            }
            if (next.getCause() != null) {
                toVisit.push(next.getCause());
            }
        }
        return found;
    }

    /** {@code top} and its causes, down to the root (or to a cause met before). */
    static List<Throwable> chain(Throwable top) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = top; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    static String describe(List<Throwable> chain) {
        return chain.stream().map(t -> t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : "(\"" + t.getMessage() + "\")"))
                .collect(Collectors.joining(" → "));
    }

    static boolean holds(Throwable top, Throwable wanted) {
        return tree(top).stream().anyMatch(t -> t == wanted);
    }

    /**
     * An exception that counts how often anyone asks for its cause, across all instances of a test: a walk that
     * goes round a cycle asks without end, and past {@code limit} questions it fails here instead of hanging.
     */
    static final class Counted extends Exception {
        private final AtomicInteger asked;
        private final int limit;

        Counted(String name, AtomicInteger asked, int limit) {
            super(name);
            this.asked = asked;
            this.limit = limit;
        }

        @Override
        public synchronized Throwable getCause() {
            if (asked.incrementAndGet() > limit) {
                throw new AssertionError("[05.9] find() asked for a cause " + limit + " times in a tree of 2 "
                        + "exceptions that form a cycle: it goes round and round. Remember the exceptions already "
                        + "seen, by identity, and skip them (README 05.9)");
            }
            return super.getCause();
        }
    }

    /** What one call of handle() did: answered or threw, and whether its thread was interrupted afterwards. */
    record Outcome(OrderResponse response, Throwable thrown, boolean interruptedAtReturn) {
    }

    /** The chain a three-layer service builds: handler → service → repository → the store's own exception. */
    static Throwable threeLayers(Throwable original) {
        return new OrderHandlerException("handling GET /orders/42",
                new OrderServiceException("loading order 42",
                        new OrderRepositoryException("reading order 42", original)));
    }

    @Nested
    @DisplayName("find(top, type), Go's errors.As")
    class Find {

        @Test
        @DisplayName("finds an exception of the type three causes down: the very instance")
        void findsThreeCausesDown() {
            ConnectException original = new ConnectException("connection refused");
            Throwable top = threeLayers(original);

            Optional<ConnectException> found = Causes.find(top, ConnectException.class);

            assertThat(found).as("[05.9] find(top, ConnectException.class) on %s: expected the ConnectException "
                    + "itself, 3 causes down (README 05.9)", describe(chain(top))).isPresent();
            assertThat(found.get()).as("[05.9] what find() returned: expected the very instance in the tree, not a "
                    + "copy (README 05.9)").isSameAs(original);
            assertThat(Causes.find(top, OrderServiceException.class)).as("[05.9] find(top, "
                    + "OrderServiceException.class): expected the service layer's exception, 1 cause down "
                    + "(README 05.9)").containsSame((OrderServiceException) top.getCause());
        }

        @Test
        @DisplayName("finds a subclass of the type, as errors.As finds any error assignable to its target")
        void findsASubclass() {
            ConnectException original = new ConnectException("connection refused");
            Throwable top = threeLayers(original);

            assertThat(Causes.find(top, IOException.class)).as("[05.9] find(top, IOException.class) where a "
                    + "ConnectException (a subclass of IOException) is 3 causes down: expected it; compare with "
                    + "type.isInstance(t), not t.getClass() == type: an exception type is a family, as in a catch "
                    + "clause (README 05.9)").containsSame(original);
        }

        @Test
        @DisplayName("returns the match nearest the top, and the top itself if it matches")
        void nearestTheTop() {
            OrderServiceException inner = new OrderServiceException("reading the price list");
            OrderServiceException outer = new OrderServiceException("loading order 42", inner);

            assertThat(Causes.find(outer, OrderServiceException.class)).as("[05.9] find(top, "
                    + "OrderServiceException.class) where top is one and wraps another: expected top itself, the "
                    + "first from the top (README 05.9)").containsSame(outer);
        }

        @Test
        @DisplayName("looks into suppressed exceptions too, and into theirs and their causes': a tree, not a chain")
        void looksIntoSuppressed() {
            ConnectException refused = new ConnectException("connection refused");
            OrderNotFoundException missing = new OrderNotFoundException(3);
            OrderServiceException joined = new OrderServiceException("loading orders [2, 3]: 2 of 2 failed");
            joined.addSuppressed(new OrderServiceException("loading order 2",
                    new OrderRepositoryException("reading order 2", refused)));
            joined.addSuppressed(new OrderServiceException("loading order 3",
                    new OrderRepositoryException("reading order 3", missing)));
            Throwable top = new OrderHandlerException("handling GET /orders?ids=2,3", joined);

            assertThat(Causes.find(top, OrderNotFoundException.class)).as("[05.9] find(top, "
                    + "OrderNotFoundException.class) where it is the cause of the cause of the 2nd suppressed "
                    + "exception of top's cause: expected it; errors.Join's errors are Java's suppressed exceptions, "
                    + "and getCause() alone walks one chain, not the tree (README 05.9)").containsSame(missing);
            assertThat(Causes.find(top, ConnectException.class)).as("[05.9] find(top, ConnectException.class) "
                    + "under the 1st suppressed exception (README 05.9)").containsSame(refused);
        }

        @Test
        @DisplayName("returns empty when no exception of the type is there, or when there is no exception")
        void emptyWhenAbsent() {
            Throwable top = threeLayers(new ConnectException("connection refused"));
            top.addSuppressed(new IllegalStateException("a close failed"));

            assertThat(Causes.find(top, TimeoutException.class)).as("[05.9] find(top, TimeoutException.class) in a "
                    + "tree without one (README 05.9)").isEmpty();
            assertThat(Causes.find(null, IOException.class)).as("[05.9] find(null, IOException.class): no error, "
                    + "nothing to find, as errors.As(nil, ...) is false (README 05.9)").isEmpty();
        }

        @Test
        @DisplayName("ends on causes that form a cycle (initCause allows one)")
        void causeCycleEnds() {
            AtomicInteger asked = new AtomicInteger();
            Counted a = new Counted("a", asked, 1_000);
            Counted b = new Counted("b", asked, 1_000);
            a.initCause(b);
            b.initCause(a); // a → b → a: Throwable refuses only a cause that is the exception itself

            assertThat(Causes.find(a, IOException.class)).as("[05.9] find(a, IOException.class) where a's cause is "
                    + "b and b's cause is a (README 05.9)").isEmpty();
            assertThat(Causes.find(a, Counted.class)).as("[05.9] find(a, its own type) (README 05.9)")
                    .containsSame(a);
        }

        @Test
        @DisplayName("ends on suppressed exceptions that form a cycle")
        void suppressedCycleEnds() {
            AtomicInteger asked = new AtomicInteger();
            Counted a = new Counted("a", asked, 1_000);
            Counted b = new Counted("b", asked, 1_000);
            a.addSuppressed(b);
            b.addSuppressed(a); // Throwable refuses only to suppress the exception itself

            assertThat(Causes.find(a, IOException.class)).as("[05.9] find(a, IOException.class) where a suppresses "
                    + "b and b suppresses a (README 05.9)").isEmpty();
        }
    }

    /** A store that answers one order, or fails with what the test gave it. */
    static OrderStore failingWith(Exception failure) {
        return id -> {
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof OrderNotFoundException missing) {
                throw missing;
            }
            throw new IllegalArgumentException("a test's store cannot throw " + failure);
        };
    }

    @Nested
    @DisplayName("wrapping at each layer: repository, service, handler")
    class Layers {

        @Test
        @DisplayName("a found order is answered 200 with the order")
        void found() throws Exception {
            OrderResponse response = Causes.handle(id -> "order " + id + ": 3 books", 42);

            assertThat(response).as("[05.9] handle(store, 42) when the store has the order (README 05.9)")
                    .isEqualTo(new OrderResponse(200, "order 42: 3 books"));
        }

        @Test
        @DisplayName("a store failure reaches the top through three layers, each with its type and its context, "
                + "and the store's exception itself at the root")
        void contextAtEachLayer() throws Exception {
            ConnectException original = new ConnectException("connection refused");
            Throwable thrown = null;
            try {
                OrderResponse response = Causes.handle(failingWith(original), 42);
                fail("[05.9] handle(store, 42) answered %s when the store failed with %s: expected an "
                        + "OrderHandlerException (README 05.9)", response, original);
            } catch (OrderHandlerException e) {
                thrown = e;
            }
            List<Throwable> chain = chain(thrown);
            String seen = describe(chain);

            assertThat(holds(thrown, original)).as("[05.9] the store's ConnectException is not among the causes of "
                    + "what handle() threw: %s. Wrap it as the cause (new ...Exception(message, e)), not only its "
                    + "message: the same instance, with its type and stack trace, must stay reachable from the top, "
                    + "as %%w keeps the error (README 05.9)", seen).isTrue();
            assertThat(chain).as("[05.9] the cause chain of what handle() threw: %s; expected 4 links, handler → "
                    + "service → repository → the store's exception (README 05.9)", seen).hasSize(4);
            assertThat(chain.get(0).getMessage()).as("[05.9] the handler's message in %s: it should say what it "
                    + "was doing (README 05.9)", seen).contains("handling GET /orders/42");
            assertThat(chain.get(1)).as("[05.9] the 2nd link of %s: expected the service layer's exception "
                    + "(README 05.9)", seen).isInstanceOf(OrderServiceException.class);
            assertThat(chain.get(1).getMessage()).as("[05.9] the service's message in %s: it should say what it "
                    + "was doing (README 05.9)", seen).contains("loading order 42");
            assertThat(chain.get(2)).as("[05.9] the 3rd link of %s: expected the repository layer's exception "
                    + "(README 05.9)", seen).isInstanceOf(OrderRepositoryException.class);
            assertThat(chain.get(2).getMessage()).as("[05.9] the repository's message in %s: it should say what it "
                    + "was doing (README 05.9)", seen).contains("reading order 42");
            assertThat(chain.get(3)).as("[05.9] the root of %s: expected the store's exception itself, not a copy "
                    + "(README 05.9)", seen).isSameAs(original);
        }

        @Test
        @DisplayName("a missing order two layers down is answered 404, as errors.Is(err, ErrNotFound) would decide")
        void missingIs404() throws Exception {
            OrderResponse response;
            try {
                response = Causes.handle(failingWith(new OrderNotFoundException(7)), 7);
            } catch (OrderHandlerException e) {
                response = null;
                fail("[05.9] handle(store, 7) threw %s when the store had no order 7: expected a 404 answer; the "
                        + "OrderNotFoundException is 2 causes below what the service threw: look for it in the "
                        + "whole tree, not in getCause() alone (README 05.9)", describe(chain(e)));
            }
            assertThat(response.status()).as("[05.9] the status handle(store, 7) answered when the store had no "
                    + "order 7 (README 05.9)").isEqualTo(404);
        }

        @Test
        @DisplayName("a failure whose message reads like a missing order is still a failure: the type decides")
        void typeNotMessage() throws Exception {
            IOException lagging = new IOException("no order 42 on replica 3 yet: it lags behind the primary");
            try {
                OrderResponse response = Causes.handle(failingWith(lagging), 42);
                fail("[05.9] handle(store, 42) answered %s when the store failed with an IOException whose message "
                        + "begins \"no order 42\": expected an OrderHandlerException; decide by the exception's "
                        + "type, as errors.Is compares errors, never by its message, which is for people and "
                        + "changes (README 05.9)", response);
            } catch (OrderHandlerException expected) {
                assertThat(holds(expected, lagging)).as("[05.9] the store's IOException among the causes of what "
                        + "handle() threw (README 05.9)").isTrue();
            }
        }

        @Test
        @DisplayName("an interrupted store call is not wrapped into a failure that loses the interrupt")
        void interruptIsNotLost() throws Exception {
            CountDownLatch never = new CountDownLatch(1);
            OrderStore blocked = id -> {
                never.await(); // as a store waiting on a socket would, until the caller is interrupted
                return "order " + id;
            };
            Background<Outcome> call = Background.call("[05.9] handle(store, 42)", () -> {
                try {
                    OrderResponse response = Causes.handle(blocked, 42);
                    return new Outcome(response, null, Thread.currentThread().isInterrupted());
                } catch (NotSolvedYet e) {
                    throw e;
                } catch (Exception e) { // checked or not: a wrapper of the interrupt is what this test is about
                    return new Outcome(null, e, Thread.currentThread().isInterrupted());
                }
            });
            try {
                awaitWaiting(call, "05.9", "handle() returned before the store answered");
                call.thread().interrupt();
                Outcome outcome = awaitWatching("05.9", "handle() did not return after its thread was interrupted "
                        + "while the store waited", call);

                boolean propagated = outcome.thrown() instanceof InterruptedException;
                boolean restored = outcome.interruptedAtReturn();
                assertThat(propagated || restored).as("[05.9] the store threw InterruptedException; handle() %s, "
                        + "with the thread's interrupt status clear: the interrupt was lost. Let "
                        + "InterruptedException through every layer (it is declared), or restore the status if a "
                        + "layer must catch it; a catch (Exception e) that wraps everything swallows it, and so does "
                        + "a RuntimeException that wraps it (README 05.9)",
                        outcome.thrown() == null ? "answered " + outcome.response()
                                : "threw " + describe(chain(outcome.thrown()))).isTrue();
            } finally {
                never.countDown();
                stop(call);
            }
        }
    }

    /**
     * A store that lets no read return before every read of the test has started (so that reads one after another
     * show), then fails the ids the test gave a failure and answers the others.
     */
    static final class AllAtOnceStore implements OrderStore {
        final CountDownLatch allStarted;
        final Map<Integer, Exception> failures;
        volatile boolean oneAfterAnother;

        AllAtOnceStore(int reads, Map<Integer, Exception> failures) {
            this.allStarted = new CountDownLatch(reads);
            this.failures = failures;
        }

        @Override
        public String read(int id) throws IOException, OrderNotFoundException, InterruptedException {
            allStarted.countDown();
            if (!oneAfterAnother && !allStarted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                oneAfterAnother = true;
            }
            Exception failure = failures.get(id);
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof OrderNotFoundException missing) {
                throw missing;
            }
            return "order " + id;
        }
    }

    /** What loadAll did when its caller was interrupted, and how many reads were still running when it did. */
    record Stopped(Throwable thrown, int readsStillRunning, boolean interruptedAtReturn) {
    }

    @Nested
    @DisplayName("loadAll(ids), several subtasks")
    class Several {

        @Test
        @DisplayName("loads every order at once and returns them in the order of the ids")
        void allSucceed() throws Exception {
            AllAtOnceStore store = new AllAtOnceStore(3, Map.of());

            List<String> orders = Background.call("[05.9] loadAll(store, [3, 1, 2])",
                    () -> Causes.loadAll(store, List.of(3, 1, 2))).await(PATIENCE.multipliedBy(2));

            assertThat(store.oneAfterAnother).as("[05.9] loadAll read the 3 orders one after another: expected all "
                    + "at once, each on a thread of its own (README 05.9)").isFalse();
            assertThat(orders).as("[05.9] what loadAll(store, [3, 1, 2]) returned (README 05.9)")
                    .containsExactly("order 3", "order 1", "order 2");
        }

        @Test
        @DisplayName("when several loads fail, throws one exception from which every failure is reachable")
        void everyFailureKept() throws Exception {
            ConnectException refused = new ConnectException("connection refused");
            OrderNotFoundException missing = new OrderNotFoundException(3);
            SocketTimeoutException slow = new SocketTimeoutException("read timed out");
            AllAtOnceStore store = new AllAtOnceStore(4, Map.of(2, refused, 3, missing, 4, slow));

            Throwable thrown = Background.call("[05.9] loadAll(store, [1, 2, 3, 4])", () -> {
                try {
                    return "returned " + Causes.loadAll(store, List.of(1, 2, 3, 4));
                } catch (OrderServiceException e) {
                    return e;
                }
            }).await(PATIENCE.multipliedBy(2)) instanceof Throwable t ? t : null;

            assertThat(store.oneAfterAnother).as("[05.9] loadAll read the 4 orders one after another: expected all "
                    + "at once, each on a thread of its own (README 05.9)").isFalse();
            assertThat(thrown).as("[05.9] loadAll(store, [1, 2, 3, 4]) when orders 2, 3 and 4 failed: expected an "
                    + "OrderServiceException (README 05.9)").isInstanceOf(OrderServiceException.class);
            List<Throwable> reachable = tree(thrown);
            List<Throwable> originals = List.of(refused, missing, slow);
            long kept = originals.stream().filter(original -> reachable.stream().anyMatch(t -> t == original)).count();
            assertThat(kept).as("[05.9] of the 3 failures (orders 2, 3 and 4), %d reachable from what loadAll threw "
                    + "(%s, suppressing %d): keep every failure, as errors.Join does: one exception, the failures "
                    + "suppressed by it. A scope whose joiner fails fast, or a loop that throws the first failure, "
                    + "loses the others (README 05.9)", kept, describe(chain(thrown)), thrown.getSuppressed().length)
                    .isEqualTo(3);
            for (int id : List.of(2, 3, 4)) {
                assertThat(reachable).as("[05.9] the exceptions reachable from what loadAll threw: expected the "
                        + "service layer's own for order %d, with its context (README 05.9)", id)
                        .anyMatch(t -> t instanceof OrderServiceException
                                && String.valueOf(t.getMessage()).contains("loading order " + id));
            }
        }
    
        @Test
        @DisplayName("when the caller is interrupted, stops every load and waits for them before it throws")
        void callerInterrupted() throws Exception {
            CountDownLatch started = new CountDownLatch(3);
            CountDownLatch never = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            OrderStore blocked = id -> {
                running.incrementAndGet();
                try {
                    started.countDown();
                    never.await(); // as a store waiting on a socket would, until its thread is interrupted
                    return "order " + id;
                } finally {
                    running.decrementAndGet();
                }
            };
            Background<Stopped> call = Background.call("[05.9] loadAll(store, [1, 2, 3])", () -> {
                try {
                    Causes.loadAll(blocked, List.of(1, 2, 3));
                    return new Stopped(null, running.get(), Thread.currentThread().isInterrupted());
                } catch (InterruptedException | OrderServiceException e) {
                    return new Stopped(e, running.get(), Thread.currentThread().isInterrupted());
                }
            });
            try {
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                        .failFast("[05.9] loadAll returned before its reads had started (README 05.9)", () -> {
                            call.rethrowIfFailed();
                            return call.isDone();
                        })
                        .alias("[05.9] loadAll(store, [1, 2, 3]) did not start 3 reads at once (README 05.9)")
                        .until(() -> started.getCount() == 0);
                awaitWaiting(call, "05.9", "loadAll returned while its 3 reads were still blocked");
                call.thread().interrupt();
                Stopped outcome = awaitWatching("05.9", "loadAll did not return after its caller was interrupted: "
                        + "the reads it waits for should be cancelled", call);

                assertThat(outcome.thrown()).as("[05.9] what loadAll threw when its caller was interrupted while "
                        + "3 reads were blocked: expected InterruptedException (README 05.9)")
                        .isInstanceOf(InterruptedException.class);
                assertThat(outcome.readsStillRunning()).as("[05.9] reads still running when loadAll threw "
                        + "InterruptedException: expected 0; interrupt the loads and wait for them to end before you "
                        + "throw, or they run on after the call (README 05.9)").isZero();
                assertThat(outcome.interruptedAtReturn()).as("[05.9] the interrupt status after loadAll threw "
                        + "InterruptedException: expected clear, as after any method that throws it (README 05.9)")
                        .isFalse();
            } finally {
                never.countDown();
                stop(call);
            }
        }
    }
}
