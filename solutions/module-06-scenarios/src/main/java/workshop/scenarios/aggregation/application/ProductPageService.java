package workshop.scenarios.aggregation.application;

import workshop.scenarios.aggregation.domain.Budgets;
import workshop.scenarios.aggregation.domain.DegradationPolicy;
import workshop.scenarios.aggregation.domain.Outcome;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.Recommendations;
import workshop.scenarios.aggregation.domain.ReviewSummary;
import workshop.scenarios.aggregation.domain.Stock;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * Exercise 06.3: Fan-out within a budget
 *
 * <p>The use case: ask the four downstreams at once, cut each call at its own budget and the whole at the request's,
 * stop everything as soon as a required part has failed, and hand the outcomes to the {@link DegradationPolicy}
 * (06.2). Go's handler does it with {@code errgroup} and the request's context:
 *
 * <pre>{@code
 * func (s *Service) Load(ctx context.Context, id string) (Page, error) {
 *     ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond) // the request's budget
 *     defer cancel()
 *     g, ctx := errgroup.WithContext(ctx) // a required part's error cancels ctx: the others end
 *     var stock Result[Stock]
 *     g.Go(func() error {
 *         cctx, ccancel := context.WithTimeout(ctx, 150*time.Millisecond) // the call's own budget
 *         defer ccancel()
 *         stock = result(s.inventory.Stock(cctx, id))
 *         return stock.requiredErr() // nil for an optional part
 *     })
 *     // ... pricing, reviews, recommendations the same way
 *     g.Wait() // every goroutine has returned
 *     return decide(stock, price, reviews, recs)
 * }
 * }</pre>
 *
 * <p>Never {@code context.Background()} inside: the calls belong to the request. Here they run on threads that
 * {@code load} starts and waits for (a {@link java.util.concurrent.StructuredTaskScope} it opens and closes, or
 * threads it owns), never on a shared executor whose threads outlive the request.
 */
public final class ProductPageService implements ProductPages {

    private final InventoryPort inventory;
    private final PricingPort pricing;
    private final ReviewsPort reviews;
    private final RecommendationsPort recommendations;
    private final DegradationPolicy policy;
    private final Budgets budgets;
    private final Scheduler scheduler;

    /**
     * A service that asks these ports, decides with {@code policy}, and takes its time from {@code scheduler} only.
     *
     * @param budgets   the request's budget and each part's call budget
     * @param scheduler the only source of time: each budget is an action scheduled on it
     */
    public ProductPageService(InventoryPort inventory, PricingPort pricing, ReviewsPort reviews,
                              RecommendationsPort recommendations, DegradationPolicy policy, Budgets budgets,
                              Scheduler scheduler) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.pricing = Objects.requireNonNull(pricing, "pricing");
        this.reviews = Objects.requireNonNull(reviews, "reviews");
        this.recommendations = Objects.requireNonNull(recommendations, "recommendations");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Asks the four downstreams for {@code id}, all at once, and decides what to answer.
     *
     * <p>Each port is called once, on a thread of its own that this call starts (the four calls are in flight
     * together), never on the caller's thread or a shared pool's. Time comes from the injected {@link Scheduler} only:
     * {@code load} schedules one action per part, after {@link Budgets#of(Part) that part's budget}, and one after
     * {@link Budgets#request() the request's budget}. When a call's action runs before the call has ended, the call
     * is <em>cut</em>: its thread is interrupted and its outcome is {@link Outcome.Late}, whatever it returns or
     * throws afterwards. The request's action cuts every call still running. A port's {@link DownstreamException} is
     * the part's outcome by its {@link DownstreamException.Kind kind}: {@code NOT_FOUND} is {@link Outcome.NotFound},
     * {@code TIMED_OUT} is {@link Outcome.Late}, {@code FAILED} and {@code REJECTED} are {@link Outcome.Failed}; a
     * value is {@link Outcome.Ok}; anything else a port throws (a bug in an adapter) counts as {@code Failed}.
     *
     * <p>As soon as a required part's outcome fails the page by itself ({@link DegradationPolicy#failure}: not found,
     * failed or late), the calls still running are interrupted (there is no need to wait for them: the page fails),
     * and that failure is the answer; a required part ended this way has no outcome and decides nothing. When several
     * required parts failed before the others were stopped, the first in {@link Part} order decides, as in
     * {@link DegradationPolicy#decide}. Otherwise, once all four have ended, the answer is
     * {@link DegradationPolicy#decide} of the four outcomes.
     *
     * <p>Blocks until every call has ended: at most about the request's budget, provided the ports answer
     * interruption as their contract says. A port that ignores interruption keeps {@code load} waiting until it
     * returns: {@code load} never returns while a thread it started still runs. When {@code load} returns or throws,
     * every thread it started has ended and every action it scheduled has been cancelled (or has run).
     *
     * <p>Memory consistency effects: actions of each port call happen-before {@code load} returns.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits (the client went away): every
     *                              call still running is interrupted and has ended when this method throws, and the
     *                              interrupt status is cleared, as the JDK's blocking methods do
     */
    @Override
    public PageDecision load(ProductId id) throws InterruptedException {
        Objects.requireNonNull(id, "id");
        Map<Part, Call> calls = new EnumMap<>(Part.class);
        for (Part part : Part.values()) {
            calls.put(part, new Call(part));
        }
        List<Scheduler.Cancellable> timers = new ArrayList<>(Part.values().length + 1);
        try (var scope = StructuredTaskScope.open(Joiner.<Result>allUntil(this::failsThePage))) {
            for (Call call : calls.values()) { // each budget from now, each cut interrupts its call
                timers.add(scheduler.schedule(budgets.of(call.part), call::cut));
            }
            timers.add(scheduler.schedule(budgets.request(), () -> calls.values().forEach(Call::cut)));
            scope.fork(calls.get(Part.INVENTORY).task(() -> inventory.stock(id)));
            scope.fork(calls.get(Part.PRICING).task(() -> pricing.price(id)));
            scope.fork(calls.get(Part.REVIEWS).task(() -> reviews.reviews(id)));
            scope.fork(calls.get(Part.RECOMMENDATIONS).task(() -> recommendations.recommendations(id)));
            scope.join(); // interrupted: close() interrupts the calls and waits for them, then the exception goes on
        } finally {
            timers.forEach(Scheduler.Cancellable::cancel);
        }
        return decide(id, calls);
    }

    /** A part's outcome, as a subtask's result: the joiner looks at it as each call ends. */
    private record Result(Part part, Outcome<?> outcome) {
    }

    /** A port's call, as the use case makes it. */
    @FunctionalInterface
    private interface PortCall<T> {
        T call() throws DownstreamException, InterruptedException;
    }

    /** Whether a call's outcome fails the page by itself: then the scope ends the others. */
    private boolean failsThePage(Subtask<? extends Result> subtask) {
        return subtask.state() == Subtask.State.SUCCESS
               && policy.failure(subtask.get().part(), subtask.get().outcome()).isPresent();
    }

    @SuppressWarnings("unchecked")
    private PageDecision decide(ProductId id, Map<Part, Call> calls) {
        // a required part stopped because the other had failed has no outcome and decides nothing
        Optional<PageDecision.Fail> failed = calls.get(Part.INVENTORY).failure(policy)
                .or(() -> calls.get(Part.PRICING).failure(policy));
        if (failed.isPresent()) {
            return failed.get();
        }
        return policy.decide(id, (Outcome<Stock>) calls.get(Part.INVENTORY).outcome(),
                (Outcome<Price>) calls.get(Part.PRICING).outcome(),
                (Outcome<ReviewSummary>) calls.get(Part.REVIEWS).outcome(),
                (Outcome<Recommendations>) calls.get(Part.RECOMMENDATIONS).outcome());
    }

    /**
     * One part's call: the thread it runs on, whether its budget cut it, and its outcome. The cut and the call's end
     * are decided under the lock, so a call is cut (interrupted, and {@code Late}) or ended with its own outcome,
     * never both, and a cut never interrupts a thread once its call has ended.
     */
    private static final class Call {
        final Part part;
        private Thread runner; // guarded by this, as the fields below
        private boolean cut;
        private boolean ended;
        private Outcome<?> outcome;

        Call(Part part) {
            this.part = part;
        }

        <T> Callable<Result> task(PortCall<T> port) {
            return () -> {
                if (!begin()) {
                    return new Result(part, outcome());
                }
                Outcome<T> reached;
                try {
                    reached = new Outcome.Ok<>(port.call());
                } catch (DownstreamException e) {
                    reached = switch (e.kind()) {
                        case NOT_FOUND -> new Outcome.NotFound<>();
                        case TIMED_OUT -> new Outcome.Late<>();
                        case FAILED, REJECTED -> new Outcome.Failed<>(e.getMessage());
                    };
                } catch (InterruptedException e) {
                    Outcome<?> late = end(null); // cut: Late; stopped by the scope or the caller: no outcome
                    if (late == null) {
                        throw e;
                    }
                    return new Result(part, late);
                } catch (RuntimeException e) {
                    reached = new Outcome.Failed<>("the adapter failed: " + e);
                }
                return new Result(part, end(reached));
            };
        }

        private synchronized boolean begin() {
            if (cut) { // the budget ran out before the call began
                ended = true;
                outcome = new Outcome.Late<>();
                return false;
            }
            runner = Thread.currentThread();
            return true;
        }

        /** The budget ran out: interrupt the call if it still runs. */
        synchronized void cut() {
            if (ended || cut) {
                return;
            }
            cut = true;
            if (runner != null) {
                runner.interrupt();
            }
        }

        /** The call ended with {@code reached} (null: interrupted): its outcome, {@code Late} if it was cut. */
        private synchronized Outcome<?> end(Outcome<?> reached) {
            ended = true;
            runner = null;
            outcome = cut ? new Outcome.Late<>() : reached;
            return outcome;
        }

        synchronized Outcome<?> outcome() {
            if (outcome == null) {
                throw new IllegalStateException(part.label() + " has no outcome: it was stopped");
            }
            return outcome;
        }

        /** The failure this part's outcome forces, if it has one. */
        synchronized Optional<PageDecision.Fail> failure(DegradationPolicy policy) {
            return outcome == null ? Optional.empty() : policy.failure(part, outcome);
        }
    }
}
