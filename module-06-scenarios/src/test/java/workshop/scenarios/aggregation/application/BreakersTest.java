package workshop.scenarios.aggregation.application;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.aggregation.application.DownstreamException.Kind;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.Recommendations;
import workshop.scenarios.aggregation.domain.ReviewSummary;
import workshop.scenarios.aggregation.domain.Stock;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.7")
@DisplayName("06.7 A breaker per downstream")
class BreakersTest {

    private static final int THRESHOLD = 3;
    private static final Duration COOL_DOWN = Duration.ofSeconds(30);
    private static final ProductId P1 = new ProductId("p-1");
    /** Not zero: nothing may assume that the clock starts at 0. */
    private static final long START = 987_654_321_000L;

    private final AtomicLong now = new AtomicLong(START);
    private final Breakers breakers = new Breakers(THRESHOLD, COOL_DOWN, now::get);
    private final Map<Part, FakeDownstream> downstreams = new EnumMap<>(Part.class);

    /** What the next calls of a fake downstream do. */
    private enum Script { ANSWER, NOT_FOUND, FAILED, TIMED_OUT, INTERRUPTED, HOLD }

    /** A downstream behind a port: it counts the calls that reach it and does what the test scripted. */
    private static final class FakeDownstream {
        final Part part;
        final AtomicInteger calls = new AtomicInteger();
        volatile Script script = Script.ANSWER;
        volatile CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch arrived = new CountDownLatch(1);
        volatile InterruptedException lastInterruption;

        FakeDownstream(Part part) {
            this.part = part;
        }

        <T> T call(T value) throws DownstreamException, InterruptedException {
            calls.incrementAndGet();
            return switch (script) {
                case ANSWER -> value;
                case NOT_FOUND -> throw new DownstreamException(part, Kind.NOT_FOUND, "status 404");
                case FAILED -> throw new DownstreamException(part, Kind.FAILED, "status 503");
                case TIMED_OUT -> throw new DownstreamException(part, Kind.TIMED_OUT, "no answer within 150 ms");
                case INTERRUPTED -> {
                    lastInterruption = new InterruptedException("the request was cancelled");
                    throw lastInterruption;
                }
                case HOLD -> {
                    arrived.countDown();
                    held.await();
                    yield value;
                }
            };
        }
    }

    /** One port of each kind, behind the breakers, each calling its fake downstream. */
    private final InventoryPort inventory;
    private final PricingPort pricing;
    private final ReviewsPort reviews;
    private final RecommendationsPort recommendations;

    BreakersTest() {
        for (Part part : Part.values()) {
            downstreams.put(part, new FakeDownstream(part));
        }
        inventory = breakers.inventory(id -> downstreams.get(Part.INVENTORY).call(new Stock(1, "AMS")));
        pricing = breakers.pricing(id -> downstreams.get(Part.PRICING).call(new Price(100, "EUR")));
        reviews = breakers.reviews(id -> downstreams.get(Part.REVIEWS).call(new ReviewSummary(4.0, 3)));
        recommendations = breakers.recommendations(
                id -> downstreams.get(Part.RECOMMENDATIONS).call(new Recommendations(List.of())));
    }

    private FakeDownstream downstream(Part part) {
        return downstreams.get(part);
    }

    /** What one call through a guarded port did. */
    private record Result(Object value, Throwable thrown, boolean interruptedAtReturn) {
        boolean failedWith(Kind kind) {
            return thrown instanceof DownstreamException e && e.kind() == kind;
        }

        boolean rejected() {
            return failedWith(Kind.REJECTED);
        }

        String describe() {
            return thrown == null ? "it returned " + value
                    : thrown instanceof DownstreamException e ? "it threw DownstreamException(" + e.kind() + ", \""
                    + e.getMessage() + "\")" : "it threw " + thrown;
        }
    }

    private static Result attempt(Callable<?> call) {
        try {
            return new Result(call.call(), null, Thread.currentThread().isInterrupted());
        } catch (NotSolvedYet e) {
            throw e;
        } catch (Exception e) {
            return new Result(null, e, Thread.interrupted());
        }
    }

    private Result call(Part part) {
        return attempt(() -> switch (part) {
            case INVENTORY -> inventory.stock(P1);
            case PRICING -> pricing.price(P1);
            case REVIEWS -> reviews.reviews(P1);
            case RECOMMENDATIONS -> recommendations.recommendations(P1);
        });
    }

    /** {@link #THRESHOLD} failures of {@code part}'s downstream, then a check that its breaker rejects. */
    private void open(Part part, Script failure) {
        FakeDownstream d = downstream(part);
        d.script = failure;
        for (int i = 0; i < THRESHOLD; i++) {
            Result r = call(part);
            assertThat(r.thrown()).as("[06.7] a failing %s downstream should make its port throw what the port "
                    + "threw, but %s (README 06.7)", part.label(), r.describe()).isInstanceOf(DownstreamException.class);
        }
        int before = d.calls.get();
        d.script = Script.ANSWER;
        Result next = call(part);
        assertThat(d.calls.get()).as("[06.7] after %d calls of %s in a row that ended %s (threshold %d) the breaker "
                + "should be open and the next call should not reach the downstream, but it did: is the breaker asked "
                + "before the call, and does %s count as a failure? (README 06.7)", THRESHOLD, part.label(), failure,
                THRESHOLD, failure).isEqualTo(before);
        assertThat(next.rejected()).as("[06.7] while the %s breaker is open a call should throw "
                + "DownstreamException(REJECTED) at once, but %s (README 06.7)", part.label(), next.describe())
                .isTrue();
    }

    @Nested
    @DisplayName("while the breaker is closed")
    class Closed {

        @Test
        @DisplayName("every call reaches its downstream, and what it answers or throws is passed on unchanged")
        void passesThrough() {
            Result value = call(Part.PRICING);
            assertThat(value.value()).as("[06.7] a closed breaker should pass the port's value on, but %s "
                    + "(README 06.7)", value.describe()).isEqualTo(new Price(100, "EUR"));

            downstream(Part.PRICING).script = Script.FAILED;
            Result failed = call(Part.PRICING);
            assertThat(failed.failedWith(Kind.FAILED)).as("[06.7] a closed breaker should pass the port's "
                    + "DownstreamException(FAILED) on unchanged, but %s (README 06.7)", failed.describe()).isTrue();

            downstream(Part.PRICING).script = Script.NOT_FOUND;
            Result notFound = call(Part.PRICING);
            assertThat(notFound.failedWith(Kind.NOT_FOUND)).as("[06.7] a closed breaker should pass the port's "
                    + "DownstreamException(NOT_FOUND) on unchanged, but %s (README 06.7)", notFound.describe())
                    .isTrue();
            assertThat(downstream(Part.PRICING).calls.get()).as("[06.7] each of the 3 calls should reach the "
                    + "downstream once (README 06.7)").isEqualTo(3);
        }

        @Test
        @DisplayName("a success resets the count: failures open the breaker only when they come in a row")
        void successResets() {
            FakeDownstream d = downstream(Part.INVENTORY);
            for (int round = 0; round < 3; round++) {
                d.script = Script.FAILED;
                for (int i = 0; i < THRESHOLD - 1; i++) {
                    call(Part.INVENTORY);
                }
                d.script = Script.ANSWER;
                Result ok = call(Part.INVENTORY);
                assertThat(ok.value()).as("[06.7] %d failures and then a success should leave the breaker closed "
                        + "(threshold %d, in a row), but %s (README 06.7)", THRESHOLD - 1, THRESHOLD, ok.describe())
                        .isEqualTo(new Stock(1, "AMS"));
            }
        }
    }

    @Nested
    @DisplayName("what opens a breaker")
    class Opening {

        @Test
        @DisplayName("failures in a row open it: then a call is REJECTED at once and the downstream is not called")
        void failuresOpen() {
            open(Part.REVIEWS, Script.FAILED);
            Result again = call(Part.REVIEWS);
            assertThat(again.thrown()).as("[06.7] a rejected call should throw DownstreamException(REJECTED), not "
                    + "another kind (the page and the metrics tell \"not called\" from \"failed\"), but %s "
                    + "(README 06.7)", again.describe()).isInstanceOf(DownstreamException.class);
            DownstreamException rejected = (DownstreamException) again.thrown();
            assertThat(rejected.kind()).as("[06.7] a call the open breaker did not let through should be REJECTED "
                    + "(README 06.7)").isEqualTo(Kind.REJECTED);
            assertThat(rejected.part()).as("[06.7] the rejection should name its part (README 06.7)")
                    .isEqualTo(Part.REVIEWS);
            assertThat(downstream(Part.REVIEWS).calls.get()).as("[06.7] only the %d failing calls should have reached "
                    + "the reviews downstream (README 06.7)", THRESHOLD).isEqualTo(THRESHOLD);
        }

        @Test
        @DisplayName("time-outs count as failures")
        void timeOutsOpen() {
            open(Part.INVENTORY, Script.TIMED_OUT);
        }

        @Test
        @DisplayName("NOT_FOUND is an answer: any number of them leave the breaker closed")
        void notFoundIsAnAnswer() {
            FakeDownstream d = downstream(Part.RECOMMENDATIONS);
            d.script = Script.NOT_FOUND;
            for (int i = 0; i < 3 * THRESHOLD; i++) {
                Result r = call(Part.RECOMMENDATIONS);
                assertThat(r.failedWith(Kind.NOT_FOUND)).as("[06.7] call %d: a downstream that answers \"no such "
                        + "product\" is working: NOT_FOUND is an answer, do not count it as a failure (the breaker "
                        + "would cut off a healthy downstream); but %s (README 06.7)", i + 1, r.describe()).isTrue();
            }
            assertThat(d.calls.get()).as("[06.7] all %d NOT_FOUND calls should have reached the downstream "
                    + "(README 06.7)", 3 * THRESHOLD).isEqualTo(3 * THRESHOLD);
        }

        @Test
        @DisplayName("an interrupted call is no outcome: InterruptedException propagates and counts neither way")
        void interruptionIsNoOutcome() {
            FakeDownstream d = downstream(Part.PRICING);
            d.script = Script.INTERRUPTED;
            for (int i = 0; i < 2 * THRESHOLD; i++) {
                Result r = call(Part.PRICING);
                assertThat(r.thrown()).as("[06.7] a port that throws InterruptedException should make the guarded "
                        + "port throw that very exception (the request is being cancelled), but %s (README 06.7)",
                        r.describe()).isSameAs(d.lastInterruption);
                assertThat(r.interruptedAtReturn()).as("[06.7] the InterruptedException is the news: do not set the "
                        + "interrupt status again (README 06.7)").isFalse();
            }
            assertThat(d.calls.get()).as("[06.7] %d interrupted calls should not open the breaker: an interrupt says "
                    + "the caller gave up, nothing about the downstream; do not count it as a failure (README 06.7)",
                    2 * THRESHOLD).isEqualTo(2 * THRESHOLD);

            // nor as a success: two failures, an interrupted call and one more failure are three in a row
            d.script = Script.FAILED;
            call(Part.PRICING);
            call(Part.PRICING);
            d.script = Script.INTERRUPTED;
            call(Part.PRICING);
            d.script = Script.FAILED;
            call(Part.PRICING);
            int before = d.calls.get();
            d.script = Script.ANSWER;
            Result next = call(Part.PRICING);
            assertThat(next.rejected() && d.calls.get() == before).as("[06.7] failure, failure, interrupted, failure "
                    + "should open the breaker (threshold %d): an interrupted call is no success either and must not "
                    + "reset the count; but %s (README 06.7)", THRESHOLD, next.describe()).isTrue();
        }
    }

    @Nested
    @DisplayName("each downstream has its own breaker")
    class PerDownstream {

        @Test
        @DisplayName("one downstream down opens only its own breaker: the others are still called")
        void independent() {
            open(Part.INVENTORY, Script.FAILED);
            for (Part other : List.of(Part.PRICING, Part.REVIEWS, Part.RECOMMENDATIONS)) {
                Result r = call(other);
                assertThat(r.thrown()).as("[06.7] with the inventory's breaker open, a call to %s should still reach "
                        + "its downstream and return, but %s: is one breaker shared by every downstream? (README 06.7)",
                        other.label(), r.describe()).isNull();
                assertThat(downstream(other).calls.get()).as("[06.7] the %s downstream should have been called "
                        + "(README 06.7)", other.label()).isEqualTo(1);
            }
            open(Part.RECOMMENDATIONS, Script.TIMED_OUT);
            assertThat(call(Part.PRICING).thrown()).as("[06.7] with inventory and recommendations open, pricing "
                    + "should still be called (README 06.7)").isNull();
        }
    }

    @Nested
    @DisplayName("after the cool-down")
    class CoolDown {

        @Test
        @DisplayName("the breaker stays open until the cool-down has passed on the injected clock")
        void staysOpen() {
            open(Part.REVIEWS, Script.FAILED);
            now.addAndGet(COOL_DOWN.toNanos() - 1);
            Result r = call(Part.REVIEWS);
            assertThat(r.rejected()).as("[06.7] one nanosecond before the cool-down is over (on the clock given to "
                    + "Breakers) a call should still be REJECTED, but %s (README 06.7)", r.describe()).isTrue();
            assertThat(downstream(Part.REVIEWS).calls.get()).isEqualTo(THRESHOLD);
        }

        @Test
        @DisplayName("one trial call goes through: its success closes the breaker")
        void trialSucceeds() {
            open(Part.REVIEWS, Script.FAILED);
            now.addAndGet(COOL_DOWN.toNanos());
            Result trial = call(Part.REVIEWS);
            assertThat(trial.value()).as("[06.7] once the cool-down has passed on the clock given to Breakers, one "
                    + "trial call should reach the downstream and return its value, but %s: does each breaker read "
                    + "that clock? (README 06.7)", trial.describe()).isEqualTo(new ReviewSummary(4.0, 3));
            for (int i = 0; i < THRESHOLD; i++) {
                Result r = call(Part.REVIEWS);
                assertThat(r.value()).as("[06.7] after a successful trial the breaker is closed: every call goes "
                        + "through, but %s (README 06.7)", r.describe()).isEqualTo(new ReviewSummary(4.0, 3));
            }
        }

        @Test
        @DisplayName("while the trial is in flight every other call is REJECTED at once")
        void oneTrial() throws Exception {
            open(Part.INVENTORY, Script.FAILED);
            now.addAndGet(COOL_DOWN.toNanos());
            FakeDownstream d = downstream(Part.INVENTORY);
            d.script = Script.HOLD;
            Background<Result> trial = Background.call("[06.7] the trial call", () -> call(Part.INVENTORY));
            try {
                await("[06.7] the trial call should reach the downstream (README 06.7)").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(2)).until(() -> {
                            trial.rethrowIfFailed();
                            return d.arrived.getCount() == 0 || trial.isDone();
                        });
                assertThat(trial.isDone()).as("[06.7] the trial call returned instead of reaching the downstream: %s "
                        + "(README 06.7)", trial.isDone() ? trial.await(PATIENCE).describe() : "").isFalse();
                int before = d.calls.get();
                Result other = call(Part.INVENTORY);
                assertThat(other.rejected() && d.calls.get() == before).as("[06.7] while the trial call is in flight "
                        + "another call should be REJECTED without reaching the downstream, but %s (README 06.7)",
                        other.describe()).isTrue();
            } finally {
                d.held.countDown();
            }
            Result done = awaitWatching("06.7", "the trial call should return once the downstream answers", trial);
            assertThat(done.value()).as("[06.7] the trial should return the downstream's value, but %s (README 06.7)",
                    done.describe()).isEqualTo(new Stock(1, "AMS"));
        }

        @Test
        @DisplayName("a failed trial opens the breaker again")
        void trialFails() {
            open(Part.PRICING, Script.FAILED);
            now.addAndGet(COOL_DOWN.toNanos());
            downstream(Part.PRICING).script = Script.FAILED;
            Result trial = call(Part.PRICING);
            assertThat(trial.failedWith(Kind.FAILED)).as("[06.7] the trial should reach the downstream and pass its "
                    + "failure on, but %s (README 06.7)", trial.describe()).isTrue();
            int before = downstream(Part.PRICING).calls.get();
            downstream(Part.PRICING).script = Script.ANSWER;
            Result next = call(Part.PRICING);
            assertThat(next.rejected() && downstream(Part.PRICING).calls.get() == before).as("[06.7] after a failed "
                    + "trial the breaker is open again: the next call should be REJECTED, but %s (README 06.7)",
                    next.describe()).isTrue();
        }
    }
}
