package workshop.scenarios.aggregation.application;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.scenarios.aggregation.application.ProductPageFakeDownstreams.Fake;
import workshop.scenarios.aggregation.application.ProductPageFakeDownstreams.Script;
import workshop.scenarios.aggregation.domain.Budgets;
import workshop.scenarios.aggregation.domain.DegradationPolicy;
import workshop.scenarios.aggregation.domain.FailureKind;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.ProductPage;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static workshop.scenarios.aggregation.application.ProductPageFakeDownstreams.ID;
import static workshop.scenarios.aggregation.application.ProductPageFakeDownstreams.PRICE;
import static workshop.scenarios.aggregation.application.ProductPageFakeDownstreams.RECOMMENDATIONS;
import static workshop.scenarios.aggregation.application.ProductPageFakeDownstreams.REVIEWS;
import static workshop.scenarios.aggregation.application.ProductPageFakeDownstreams.STOCK;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("06.3")
@DisplayName("06.3 Fan-out within a budget")
class ProductPageServiceTest {

    /** Distinct budgets, so that the test can tell the timers apart by their delay and fire one alone. */
    private static final Duration REQUEST = Duration.ofMillis(800);
    private static final Map<Part, Duration> PER_CALL = Map.of(Part.INVENTORY, Duration.ofMillis(500),
            Part.PRICING, Duration.ofMillis(600), Part.REVIEWS, Duration.ofMillis(300),
            Part.RECOMMENDATIONS, Duration.ofMillis(400));
    private static final Budgets BUDGETS = new Budgets(REQUEST, PER_CALL);

    private final ProductPageFakeDownstreams downstreams = new ProductPageFakeDownstreams();
    private final ProductPageFakeScheduler scheduler = new ProductPageFakeScheduler();
    private final ProductPageService service = new ProductPageService(downstreams.inventory(), downstreams.pricing(),
            downstreams.reviews(), downstreams.recommendations(), new DegradationPolicy(), BUDGETS, scheduler);
    private Background<Loaded> load;

    /** What load did: its decision or exception, the interrupt status, and which calls had ended, when it returned. */
    private record Loaded(PageDecision decision, Throwable thrown, boolean interruptedAtReturn, List<Part> running,
                          List<Thread> threadsAlive, int liveTimers) {
    }

    private Background<Loaded> loadInBackground() {
        load = Background.call("[06.3] load(p-1)", () -> {
            try {
                PageDecision decision = service.load(ID);
                return loaded(decision, null, Thread.currentThread().isInterrupted());
            } catch (NotSolvedYet notSolvedYet) {
                throw notSolvedYet;
            } catch (InterruptedException | RuntimeException e) {
                return loaded(null, e, Thread.currentThread().isInterrupted());
            }
        });
        return load;
    }

    private Loaded loaded(PageDecision decision, Throwable thrown, boolean interrupted) {
        List<Part> running = new ArrayList<>();
        List<Thread> alive = new ArrayList<>();
        for (Part part : Part.values()) {
            Fake fake = downstreams.get(part);
            if (fake.started.getCount() == 0 && !fake.hasEnded()) {
                running.add(part);
            }
            Thread thread = fake.thread;
            if (thread != null && thread.isAlive() && thread != Thread.currentThread()) {
                alive.add(thread);
            }
        }
        return new Loaded(decision, thrown, interrupted, running, alive, scheduler.live());
    }

    private Loaded awaitLoad(String situation) throws InterruptedException {
        Loaded loaded = awaitWatching("06.3", situation + ", load did not return", load);
        assertThat(loaded.running()).as("[06.3] %s, load returned while the calls of %s were still running: wait "
                + "until every call has ended (README 06.3)", situation, loaded.running()).isEmpty();
        assertThat(loaded.liveTimers()).as("[06.3] %s, load returned with %d of its scheduled actions neither run nor "
                + "cancelled: cancel every budget's action before returning, or timers pile up in a busy service "
                + "(README 06.3)", situation, loaded.liveTimers()).isZero();
        return loaded;
    }

    private static PageDecision serving(ProductPage page) {
        return new PageDecision.Serve(page);
    }

    private static PageDecision decision(Loaded loaded, String situation) {
        assertThat(loaded.thrown()).as("[06.3] %s, load threw %s instead of answering (README 06.3)", situation,
                loaded.thrown()).isNull();
        return loaded.decision();
    }

    private static void assertFails(PageDecision decision, FailureKind kind, Part part, String situation, String why) {
        assertThat(decision).as("[06.3] %s: expected Fail(%s, %s): %s; but load answered %s (README 06.3)", situation,
                kind, part.label(), why, decision).isInstanceOf(PageDecision.Fail.class);
        PageDecision.Fail fail = (PageDecision.Fail) decision;
        assertThat(List.of(fail.kind(), fail.part())).as("[06.3] %s: expected Fail(%s, %s): %s; but load answered "
                + "%s (README 06.3)", situation, kind, part.label(), why, decision).containsExactly(kind, part);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        downstreams.endAll();
        stop(load);
    }

    @Test
    @DisplayName("all four calls are in flight at once, and the page comes with every part")
    void allFourInFlightAtOnce() throws InterruptedException {
        downstreams.everyone(Script.ANSWER_WHEN_ALL_STARTED);
        loadInBackground();
        try {
            await("[06.3] the four calls to be in flight at once (README 06.3)").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .failFast(() -> {
                        load.rethrowIfFailed();
                        return false;
                    })
                    .until(() -> downstreams.mostInFlight.get() == 4);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("[06.3] expected 4 calls in flight at once, saw " + downstreams.mostInFlight
                    + " (each call waits until all four have started): are the calls made one after the other, or "
                    + "each forked and joined before the next is forked? (README 06.3)", e);
        }
        Loaded loaded = awaitLoad("with every downstream answering");
        assertThat(decision(loaded, "with every downstream answering")).as("[06.3] with every downstream answering, "
                        + "expected the whole page, not degraded, but load answered %s (README 06.3)",
                        loaded.decision())
                .isEqualTo(serving(new ProductPage(ID, STOCK, PRICE, Optional.of(REVIEWS), Optional.of(RECOMMENDATIONS),
                        Set.of())));
        for (Part part : Part.values()) {
            Fake fake = downstreams.get(part);
            assertThat(List.of(fake.calls.get(), String.valueOf(fake.asked))).as("[06.3] expected %s to be asked "
                    + "once for p-1, but it was asked %d times for %s (README 06.3)", part.label(), fake.calls.get(),
                    fake.asked).containsExactly(1, "p-1");
        }
    }

    @Test
    @DisplayName("the calls run on threads that load starts, and that have ended when it returns (not a shared pool's)")
    void callsRunOnThreadsOfTheRequest() throws InterruptedException {
        downstreams.everyone(Script.ANSWER_WHEN_ALL_STARTED);
        loadInBackground();
        Loaded loaded = awaitLoad("with every downstream answering");
        List<Thread> threads = Stream.of(Part.values()).map(p -> downstreams.get(p).thread).toList();
        assertThat(threads).as("[06.3] a call ran on load's own thread: each call runs on a thread of its own "
                + "(README 06.3)").doesNotContain(load.thread());
        assertThat(threads).as("[06.3] the four calls ran on %s: each runs on a thread of its own (README 06.3)",
                threads).doesNotHaveDuplicates();
        // a thread that ends with its call may still be finishing its exit when load returns; a pool's thread never
        // ends: a short grace tells them apart
        try {
            await().atMost(Patience.scaled(Duration.ofSeconds(1))).pollInterval(Duration.ofMillis(5))
                    .until(() -> threads.stream().noneMatch(Thread::isAlive));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("[06.3] load returned " + (loaded.threadsAlive().isEmpty() ? "" : "and a second "
                    + "later ") + "the threads that ran the calls were still alive: "
                    + threads.stream().filter(Thread::isAlive).toList() + ". Threads of a shared executor (or the "
                    + "common pool) outlive the request, as Go's context.Background() does: fork the calls in a scope "
                    + "that load opens and closes, or start threads it owns and joins (README 06.3)", e);
        }
    }

    @Test
    @DisplayName("each call's budget and the request's are scheduled on the injected Scheduler")
    void schedulesEachBudgetAndTheRequests() throws InterruptedException {
        downstreams.everyone(Script.BLOCK);
        loadInBackground();
        for (Part part : Part.values()) {
            downstreams.awaitStarted(part, load, "every call is made at once");
        }
        List<Long> expected = List.of(300L, 400L, 500L, 600L, 800L);
        try {
            await("[06.3] the budgets to be scheduled (README 06.3)").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .failFast(() -> {
                        load.rethrowIfFailed();
                        return false;
                    })
                    .until(() -> scheduler.pendingDelaysInMillis().equals(expected));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("[06.3] with the four calls in flight, expected actions pending on the Scheduler "
                    + "after " + expected + " ms (reviews 300, recommendations 400, inventory 500, pricing 600, the "
                    + "request 800), but saw " + scheduler.pendingDelaysInMillis() + ": each call has its own budget, "
                    + "and the request one for the whole (README 06.3)", e);
        }
        scheduler.fire(REQUEST, "the request's budget");
        downstreams.awaitStoppedWhileLoadWaits(load, "the request's budget ran out", Part.values());
        awaitLoad("after the request's budget ran out");
    }

    @Test
    @DisplayName("a late optional call is cut at its budget, and the page is served degraded without it")
    void lateOptionalIsCut() throws InterruptedException {
        downstreams.script(Part.REVIEWS, Script.BLOCK);
        loadInBackground();
        downstreams.awaitStarted(Part.REVIEWS, load, "every call is made at once");
        downstreams.awaitEnded(load, "the inventory, pricing and recommendations calls to answer", Part.INVENTORY,
                Part.PRICING, Part.RECOMMENDATIONS);
        awaitParked(load, "06.3", "load returned while the reviews call was still running and before its budget ran "
                + "out: a late optional call is cut at its budget, not abandoned");
        scheduler.fire(PER_CALL.get(Part.REVIEWS), "the reviews call's budget");
        downstreams.awaitStoppedWhileLoadWaits(load, "the reviews call's budget ran out", Part.REVIEWS);
        Loaded loaded = awaitLoad("after the reviews call's budget ran out");
        assertThat(decision(loaded, "after the reviews call was cut")).as("[06.3] reviews late (cut at its budget), "
                        + "the others answering: expected the page without reviews, degraded (omitted: reviews), but "
                        + "load answered %s (README 06.3)", loaded.decision())
                .isEqualTo(serving(new ProductPage(ID, STOCK, PRICE, Optional.empty(), Optional.of(RECOMMENDATIONS),
                        Set.of(Part.REVIEWS))));
    }

    @Test
    @DisplayName("a late required call is cut at its budget: the page times out, and the calls still running end")
    void lateRequiredTimesOut() throws InterruptedException {
        downstreams.script(Part.INVENTORY, Script.BLOCK).script(Part.REVIEWS, Script.BLOCK);
        loadInBackground();
        downstreams.awaitStarted(Part.INVENTORY, load, "every call is made at once");
        downstreams.awaitStarted(Part.REVIEWS, load, "every call is made at once");
        downstreams.awaitEnded(load, "the pricing and recommendations calls to answer", Part.PRICING,
                Part.RECOMMENDATIONS);
        scheduler.fire(PER_CALL.get(Part.INVENTORY), "the inventory call's budget");
        downstreams.awaitStoppedWhileLoadWaits(load, "the inventory call's budget ran out", Part.INVENTORY);
        downstreams.awaitStoppedWhileLoadWaits(load, "the inventory call was cut (a required part: the page fails, so "
                + "the reviews call still running is of no use)", Part.REVIEWS);
        Loaded loaded = awaitLoad("after the inventory call's budget ran out");
        assertFails(decision(loaded, "after the inventory call was cut"), FailureKind.TIMED_OUT, Part.INVENTORY,
                "inventory late (cut at its budget)", "a late required part is not served degraded: the page fails");
    }

    @Test
    @DisplayName("a failing required call fails the page at once: the calls still running are interrupted and end")
    void failingRequiredEndsTheOthers() throws InterruptedException {
        downstreams.everyone(Script.BLOCK).script(Part.PRICING, Script.FAIL_WHEN_ALL_STARTED);
        loadInBackground();
        downstreams.awaitStoppedWhileLoadWaits(load, "pricing failed (a required part: the page fails, there is no "
                + "need to wait for the others)", Part.INVENTORY, Part.REVIEWS, Part.RECOMMENDATIONS);
        Loaded loaded = awaitLoad("after pricing failed");
        assertFails(decision(loaded, "after pricing failed"), FailureKind.UNAVAILABLE, Part.PRICING,
                "pricing failed while the others were still running", "the failed required part decides; a part "
                + "stopped because of it has no outcome and decides nothing");
        assertThat(scheduler.live()).as("[06.3] no budget ran out, so none should have fired").isZero();
    }

    @Test
    @DisplayName("the request's budget cuts every call still running, and the page times out")
    void requestBudgetCutsEverything() throws InterruptedException {
        downstreams.everyone(Script.BLOCK);
        loadInBackground();
        for (Part part : Part.values()) {
            downstreams.awaitStarted(part, load, "every call is made at once");
        }
        scheduler.fire(REQUEST, "the request's budget");
        downstreams.awaitStoppedWhileLoadWaits(load, "the request's budget ran out", Part.values());
        Loaded loaded = awaitLoad("after the request's budget ran out");
        PageDecision decision = decision(loaded, "after the request's budget ran out");
        assertThat(decision).as("[06.3] every call cut by the request's budget: expected Fail(TIMED_OUT, ...), but "
                + "load answered %s (README 06.3)", decision).isInstanceOfSatisfying(PageDecision.Fail.class,
                fail -> assertThat(fail.kind()).as("[06.3] every call cut by the request's budget: expected a "
                        + "TIMED_OUT failure, but load answered %s (README 06.3)", decision)
                        .isEqualTo(FailureKind.TIMED_OUT));
    }

    @Test
    @DisplayName("when the caller is interrupted, every call is interrupted and has ended, then InterruptedException")
    void callerInterrupted() throws InterruptedException {
        downstreams.everyone(Script.BLOCK);
        loadInBackground();
        for (Part part : Part.values()) {
            downstreams.awaitStarted(part, load, "every call is made at once");
        }
        load.thread().interrupt();
        downstreams.awaitStoppedWhileLoadWaits(load, "the caller was interrupted (the client went away)",
                Part.values());
        Loaded loaded = awaitLoad("after the caller was interrupted");
        assertThat(loaded.thrown()).as("[06.3] interrupted, load should throw InterruptedException, but it %s "
                        + "(README 06.3)", loaded.thrown() == null ? "answered " + loaded.decision()
                        : "threw " + loaded.thrown())
                .isInstanceOf(InterruptedException.class);
        assertThat(loaded.interruptedAtReturn()).as("[06.3] load threw InterruptedException with the interrupt status "
                + "set: a method that throws it clears the status, as the JDK's do (README 06.3)").isFalse();
    }

    /** A port's failure kind, and what it becomes for a required part and for an optional one. */
    static Stream<Arguments> kinds() {
        return Stream.of(
                arguments(DownstreamException.Kind.NOT_FOUND, FailureKind.NOT_FOUND, Set.of()),
                arguments(DownstreamException.Kind.FAILED, FailureKind.UNAVAILABLE, Set.of(Part.REVIEWS)),
                arguments(DownstreamException.Kind.TIMED_OUT, FailureKind.TIMED_OUT, Set.of(Part.REVIEWS)),
                arguments(DownstreamException.Kind.REJECTED, FailureKind.UNAVAILABLE, Set.of(Part.REVIEWS)));
    }

    @ParameterizedTest(name = "a port throwing {0}: a required part fails as {1}, an optional one is omitted: {2}")
    @MethodSource("kinds")
    @DisplayName("a port's failure kind becomes the part's outcome")
    void kindMapping(DownstreamException.Kind kind, FailureKind required, Set<Part> omitted)
            throws InterruptedException {
        String outcome = switch (kind) {
            case NOT_FOUND -> "NotFound";
            case TIMED_OUT -> "Late";
            case FAILED, REJECTED -> "Failed";
        };
        downstreams.throwing(Part.PRICING, kind);
        loadInBackground();
        Loaded loaded = awaitLoad("with pricing throwing " + kind);
        assertFails(decision(loaded, "with pricing throwing " + kind), required, Part.PRICING,
                "pricing threw DownstreamException " + kind, kind + " is " + outcome + " for the policy");

        ProductPageFakeDownstreams optional = new ProductPageFakeDownstreams().throwing(Part.REVIEWS, kind);
        ProductPageService service = new ProductPageService(optional.inventory(), optional.pricing(),
                optional.reviews(), optional.recommendations(), new DegradationPolicy(), BUDGETS, scheduler);
        PageDecision decision = service.load(ID);
        assertThat(decision).as("[06.3] reviews threw DownstreamException %s (%s for the policy): expected the page "
                        + "with omitted %s, but load answered %s (README 06.3)", kind, outcome, omitted, decision)
                .isEqualTo(serving(new ProductPage(ID, STOCK, PRICE, Optional.empty(), Optional.of(RECOMMENDATIONS),
                        omitted)));
        assertThat(scheduler.live()).as("[06.3] load returned with scheduled actions neither run nor cancelled "
                + "(README 06.3)").isZero();
    }
}
