package workshop.scenarios.aggregation.application;

import org.awaitility.core.ConditionTimeoutException;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.Recommendations;
import workshop.scenarios.aggregation.domain.ReviewSummary;
import workshop.scenarios.aggregation.domain.Stock;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;

/**
 * The four downstreams as fakes a test scripts part by part (06.3). Each fake notes the thread it ran on, whether it
 * was interrupted and when it ended, and counts the calls in flight. A blocked fake answers interruption, as the
 * ports' contract says; an interrupted one lingers in its clean-up until the test lets it exit
 * ({@link #awaitStoppedWhileLoadWaits}), so that a {@code load} that returns without waiting for the calls it stopped
 * is seen doing so every time, not only when it happens to be faster than their exit.
 */
final class ProductPageFakeDownstreams {

    static final ProductId ID = new ProductId("p-1");
    static final Stock STOCK = new Stock(12, "AMS");
    static final Price PRICE = new Price(1999, "EUR");
    static final ReviewSummary REVIEWS = new ReviewSummary(4.5, 120);
    static final Recommendations RECOMMENDATIONS =
            new Recommendations(List.of(new ProductId("p-2"), new ProductId("p-3")));

    /** What a fake does when it is called. */
    enum Script {
        /** Answers its value at once. */
        ANSWER,
        /** Answers its value once all four calls are in flight. */
        ANSWER_WHEN_ALL_STARTED,
        /** Throws a FAILED DownstreamException once all four calls are in flight. */
        FAIL_WHEN_ALL_STARTED,
        /** Blocks until interrupted (a late downstream). */
        BLOCK,
        /** Throws at once a DownstreamException of the kind given with {@link #throwing}. */
        THROW
    }

    /** One fake downstream and what it saw. */
    static final class Fake {
        final Part part;
        volatile Script script = Script.ANSWER;
        volatile DownstreamException.Kind kind;
        final AtomicInteger calls = new AtomicInteger();
        volatile Thread thread;
        volatile ProductId asked;
        volatile boolean interrupted;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        /** Opened by the test once it has seen load wait for this call, interrupted: it may then exit. */
        final CountDownLatch mayExit = new CountDownLatch(1);

        Fake(Part part) {
            this.part = part;
        }

        boolean hasEnded() {
            return ended.getCount() == 0;
        }
    }

    private final Map<Part, Fake> fakes = new EnumMap<>(Part.class);
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    final AtomicInteger interruptedCount = new AtomicInteger();
    private final CountDownLatch allStarted = new CountDownLatch(4);
    /** Opened by the test's cleanup only: ends calls that a wrong solution left blocked. */
    private final CountDownLatch released = new CountDownLatch(1);

    ProductPageFakeDownstreams() {
        for (Part part : Part.values()) {
            fakes.put(part, new Fake(part));
        }
    }

    Fake get(Part part) {
        return fakes.get(part);
    }

    ProductPageFakeDownstreams script(Part part, Script script) {
        fakes.get(part).script = script;
        return this;
    }

    ProductPageFakeDownstreams everyone(Script script) {
        fakes.values().forEach(f -> f.script = script);
        return this;
    }

    ProductPageFakeDownstreams throwing(Part part, DownstreamException.Kind kind) {
        fakes.get(part).script = Script.THROW;
        fakes.get(part).kind = kind;
        return this;
    }

    InventoryPort inventory() {
        return id -> call(Part.INVENTORY, id, STOCK);
    }

    PricingPort pricing() {
        return id -> call(Part.PRICING, id, PRICE);
    }

    ReviewsPort reviews() {
        return id -> call(Part.REVIEWS, id, REVIEWS);
    }

    RecommendationsPort recommendations() {
        return id -> call(Part.RECOMMENDATIONS, id, RECOMMENDATIONS);
    }

    private <T> T call(Part part, ProductId id, T value) throws DownstreamException, InterruptedException {
        Fake fake = fakes.get(part);
        fake.thread = Thread.currentThread();
        fake.asked = id;
        fake.calls.incrementAndGet();
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        fake.started.countDown();
        allStarted.countDown();
        try {
            switch (fake.script) {
                case ANSWER -> {
                    return value;
                }
                case THROW -> throw new DownstreamException(part, fake.kind, "scripted " + fake.kind);
                case ANSWER_WHEN_ALL_STARTED -> {
                    allStarted.await();
                    return value;
                }
                case FAIL_WHEN_ALL_STARTED -> {
                    allStarted.await();
                    throw new DownstreamException(part, DownstreamException.Kind.FAILED, "503 Service Unavailable");
                }
                case BLOCK -> {
                    released.await();
                    return value;
                }
                default -> throw new IllegalStateException(fake.script.name());
            }
        } catch (InterruptedException e) {
            fake.interrupted = true;
            interruptedCount.incrementAndGet();
            linger(fake);
            throw e;
        } finally {
            inFlight.decrementAndGet();
            fake.ended.countDown();
        }
    }

    /** Clean-up after an interrupt: until the test lets the call exit (bounded: never a hang). */
    private static void linger(Fake fake) {
        try {
            fake.mayExit.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt(); // interrupted twice: stop lingering
        }
    }

    /** Waits until the fake of {@code part} has been called; fails fast if {@code load} returns first. */
    void awaitStarted(Part part, Background<?> load, String why) {
        Fake fake = fakes.get(part);
        await("[06.3] the " + part.label() + " call to start: " + why + " (README 06.3)").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(2))
                .failFast(() -> {
                    load.rethrowIfFailed();
                    if (load.isDone() && fake.started.getCount() > 0) {
                        throw new AssertionError("[06.3] load returned without calling " + part.label() + ": " + why
                                + " (README 06.3)");
                    }
                    return false;
                })
                .until(() -> fake.started.getCount() == 0);
    }

    /** Waits until the fakes of {@code parts} have ended; fails fast if {@code load} returns first. */
    void awaitEnded(Background<?> load, String why, Part... parts) {
        await("[06.3] " + why + " (README 06.3)").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast(() -> {
                    load.rethrowIfFailed();
                    return false;
                })
                .until(() -> java.util.Arrays.stream(parts).allMatch(p -> fakes.get(p).hasEnded()));
    }

    /**
     * The heart of "stop, then wait": waits until the calls of {@code parts} have been interrupted, checks that
     * {@code load} still waits for them (they linger in their clean-up), and only then lets them exit. Fails at once,
     * saying what it saw, if load returns before they were all interrupted (it left calls running) or before they
     * have ended (it stopped them but did not wait). {@code after} says what happened, for the messages.
     */
    void awaitStoppedWhileLoadWaits(Background<?> load, String after, Part... parts) {
        List<Part> expected = List.of(parts);
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .failFast(() -> {
                        load.rethrowIfFailed();
                        List<Part> running = expected.stream().filter(p -> !fakes.get(p).interrupted).toList();
                        if (load.isDone() && !running.isEmpty()) {
                            throw new AssertionError("[06.3] after " + after + ", load returned while "
                                    + labels(running) + (running.size() == 1 ? " was" : " were") + " still running, "
                                    + "not even interrupted: interrupt every call still running, and wait until each "
                                    + "has ended (README 06.3)");
                        }
                        return false;
                    })
                    .until(() -> expected.stream().allMatch(p -> fakes.get(p).interrupted));
        } catch (ConditionTimeoutException e) {
            List<Part> running = expected.stream().filter(p -> !fakes.get(p).interrupted).toList();
            throw new AssertionError("[06.3] after " + after + ", load kept waiting for " + labels(running)
                    + " and did not interrupt " + (running.size() == 1 ? "it" : "them") + " within "
                    + PATIENCE.toSeconds() + " s: interrupt the calls still running as soon as the answer is known "
                    + "(README 06.3)", e);
        }
        awaitParked(load, "06.3", "after " + after + ", load returned while " + labels(expected) + " (interrupted) "
                + (expected.size() == 1 ? "was" : "were") + " still running, busy cleaning up: after interrupting "
                + "the calls, wait until they have ended; nothing may be left running when load returns");
        expected.forEach(p -> fakes.get(p).mayExit.countDown());
    }

    static String labels(List<Part> parts) {
        return String.join(", ", parts.stream().map(Part::label).toList());
    }

    /** The test's cleanup: releases every fake still blocked and waits until each one that started has ended. */
    void endAll() {
        released.countDown();
        fakes.values().forEach(f -> f.mayExit.countDown());
        while (allStarted.getCount() > 0) {
            allStarted.countDown();
        }
        await("[06.3] the fake calls to end after the test").atMost(PATIENCE)
                .until(() -> fakes.values().stream().allMatch(f -> f.started.getCount() > 0 || f.hasEnded()));
    }
}
