package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("03.13")
@DisplayName("03.13 A request id in a ScopedValue")
class RequestIdsTest {

    private static final String UNBOUND = "<REQUEST_ID unbound>";

    /** A lookup that answers with the request id it sees, or {@link #UNBOUND}. */
    private static String seenRequestId() {
        return RequestIds.REQUEST_ID.isBound() ? RequestIds.REQUEST_ID.get() : UNBOUND;
    }

    @Test
    @DisplayName("every lookup sees the request's id")
    void everyLookupSeesTheRequestId() throws InterruptedException {
        List<Callable<String>> lookups = List.of(RequestIdsTest::seenRequestId, RequestIdsTest::seenRequestId,
                RequestIdsTest::seenRequestId);
        Background<List<String>> request = Background.call("[03.13] handle(\"req-42\", 3 lookups)",
                () -> RequestIds.handle("req-42", lookups));
        try {
            List<String> seen = awaitWatching("03.13", "handle did not return although every lookup returned at once",
                    request);

            assertThat(seen).as("[03.13] expected every lookup to see REQUEST_ID = req-42, but they saw %s: a lookup "
                    + "that finds REQUEST_ID unbound runs where the binding does not reach; a plain Thread or an "
                    + "executor does not inherit scoped values, a StructuredTaskScope fork opened inside the "
                    + "binding does (README 03.13)", seen).containsExactly("req-42", "req-42", "req-42");
        } finally {
            stop(request);
        }
    }

    @Test
    @DisplayName("runs the lookups at the same time, each on a thread of its own")
    void runsTheLookupsAtTheSameTime() throws InterruptedException {
        int count = 3;
        CountDownLatch allRunning = new CountDownLatch(count);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Callable<String> lookup = () -> {
            threads.add(Thread.currentThread());
            allRunning.countDown();
            allRunning.await(); // opens only when every lookup is running
            return seenRequestId();
        };
        Background<List<String>> request = Background.call("[03.13] handle(\"req-7\", 3 lookups that wait for each "
                + "other)", () -> RequestIds.handle("req-7", List.of(lookup, lookup, lookup)));
        try {
            List<String> seen = awaitWatching("03.13", "3 lookups that only finish once all are running did not "
                    + "finish: start every lookup before you wait for any", request);

            assertThat(threads).as("[03.13] expected each lookup on a thread of its own, other than the caller's "
                    + "(README 03.13)").hasSize(count).doesNotContain(request.thread());
            assertThat(seen).as("[03.13] expected every lookup to see REQUEST_ID = req-7, but they saw %s: a plain "
                    + "Thread does not inherit scoped values, a StructuredTaskScope fork does (README 03.13)", seen)
                    .containsOnly("req-7");
        } finally {
            stop(request);
        }
    }

    @Test
    @DisplayName("two requests handled at the same time each see their own id")
    void concurrentRequestsSeeTheirOwnIds() throws InterruptedException {
        CountDownLatch bothRequestsRunning = new CountDownLatch(2);
        Callable<String> lookup = () -> {
            bothRequestsRunning.countDown();
            bothRequestsRunning.await(); // the two requests overlap
            return seenRequestId();
        };
        Background<List<String>> first = Background.call("[03.13] handle(\"req-1\", ...)",
                () -> RequestIds.handle("req-1", List.of(lookup)));
        Background<List<String>> second = Background.call("[03.13] handle(\"req-2\", ...)",
                () -> RequestIds.handle("req-2", List.of(lookup)));
        try {
            List<String> seenByFirst = awaitWatching("03.13", "the first of two overlapping requests did not finish",
                    first, second);
            List<String> seenBySecond = awaitWatching("03.13", "the second of two overlapping requests did not "
                    + "finish", second, first);

            assertThat(List.of(seenByFirst, seenBySecond)).as("[03.13] each of two overlapping requests should see "
                    + "its own id, but they saw %s and %s: the other request's id means the id is kept in shared "
                    + "state instead of a binding for the request; unbound means the lookups run where the binding "
                    + "does not reach (README 03.13)", seenByFirst, seenBySecond)
                    .containsExactly(List.of("req-1"), List.of("req-2"));
        } finally {
            stop(first, second);
        }
    }

    /** What handle did: its answer or exception, and how many lookups had ended when it returned. */
    private record Outcome(List<String> seen, Throwable thrown, int exitedAtReturn, boolean interruptedAtReturn) {
    }

    private static Background<Outcome> handleInBackground(String description, List<Callable<String>> lookups,
                                                          TrackedCalls tracked) {
        return Background.call("[03.13] handle(" + description + ")", () -> {
            try {
                List<String> seen = RequestIds.handle("req-9", lookups);
                return new Outcome(seen, null, tracked.exited.get(), Thread.currentThread().isInterrupted());
            } catch (NotSolvedYet notSolvedYet) {
                throw notSolvedYet;
            } catch (ExecutionException | InterruptedException | RuntimeException e) {
                return new Outcome(null, e, tracked.exited.get(), Thread.currentThread().isInterrupted());
            }
        });
    }

    @Test
    @DisplayName("a failed lookup cancels the others, waits until they have ended, and handle throws "
                 + "ExecutionException with its failure as cause")
    void aFailedLookupCancelsTheOthers() throws InterruptedException {
        TrackedCalls tracked = new TrackedCalls(1);
        IllegalStateException failure = new IllegalStateException("the user service is down");
        Callable<String> failing = () -> {
            tracked.allStarted.await(); // fail while the other lookup blocks
            throw failure;
        };
        Background<Outcome> request = handleInBackground("\"req-9\", blocked, failing",
                List.of(tracked.blockUntilInterrupted(), failing), tracked);
        try {
            tracked.awaitCancelledWhileCallerWaits("03.13", 1, request, "handle, after a lookup failed,");
            Outcome outcome = awaitWatching("03.13", "handle did not return after a lookup failed and the other had "
                    + "ended", request);

            assertThat(outcome.thrown()).as("[03.13] expected ExecutionException with the lookup's failure as cause, "
                    + "got %s (README 03.13)", outcome.thrown())
                    .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
            assertThat(outcome.exitedAtReturn()).as("[03.13] expected the blocked lookup to have been cancelled and "
                    + "ended when handle threw (README 03.13)").isEqualTo(1);
        } finally {
            tracked.release();
            stop(request);
            tracked.endAll("03.13");
        }
    }

    @Test
    @DisplayName("interrupting the caller cancels every lookup, waits until they have ended, and throws "
                 + "InterruptedException")
    void interruptingTheCallerCancelsEveryLookup() throws InterruptedException {
        TrackedCalls tracked = new TrackedCalls(2);
        Background<Outcome> request = handleInBackground("\"req-9\", 2 blocked lookups",
                List.of(tracked.blockUntilInterrupted(), tracked.blockUntilInterrupted()), tracked);
        try {
            org.awaitility.Awaitility.await("[03.13] both lookups to start (README 03.13)").atMost(PATIENCE)
                    .pollInterval(java.time.Duration.ofMillis(2))
                    .failFast("[03.13] handle returned while both lookups were still blocked (README 03.13)", () -> {
                        request.rethrowIfFailed();
                        return request.isDone();
                    })
                    .until(() -> tracked.allStarted.getCount() == 0);
            awaitParked(request, "03.13", "handle returned while both lookups were still blocked");

            request.thread().interrupt();

            tracked.awaitCancelledWhileCallerWaits("03.13", 2, request, "handle, once its caller was interrupted,");
            Outcome outcome = awaitWatching("03.13", "handle was interrupted but did not return after its lookups "
                    + "had ended", request);

            assertThat(outcome.thrown()).as("[03.13] the caller was interrupted: expected InterruptedException, but "
                    + "handle %s: the interrupt is a request to stop, not a result; swallowing it hides it from the "
                    + "code above (README 03.13)",
                    outcome.thrown() == null ? "returned " + outcome.seen() : "threw " + outcome.thrown())
                    .isInstanceOf(InterruptedException.class);
            assertThat(outcome.interruptedAtReturn()).as("[03.13] handle threw InterruptedException with the "
                    + "interrupt status set again: the exception is how the interrupt is passed on, and a method "
                    + "that throws it clears the status, as the JDK's do (README 03.13)").isFalse();
            assertThat(outcome.exitedAtReturn()).as("[03.13] the caller was interrupted: expected both lookups to "
                    + "have ended when handle returned, but %d had (README 03.13)", outcome.exitedAtReturn())
                    .isEqualTo(2);
        } finally {
            tracked.release();
            stop(request);
            tracked.endAll("03.13");
        }
    }
}
