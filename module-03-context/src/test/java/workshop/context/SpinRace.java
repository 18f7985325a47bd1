package workshop.context;

import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

/**
 * Two threads that do one step each, at the same instant, round after round: how a test makes a check-then-act race
 * of a few nanoseconds show. In every round both racers meet at a spin barrier, so that they start within a fraction
 * of a microsecond of each other (a blocking barrier takes tens of microseconds to wake a thread), and one of them
 * starts a little later by an offset that varies from round to round, so that some offset hits the race window. The
 * race goes on until {@link #HOT_ROUNDS} rounds had both racers on a core at once (on a loaded machine they often do
 * not), or for {@link #TIME} at most, or {@link #MAX_ROUNDS} rounds. It can only catch a race, never prove there is
 * none: a correct solution always passes, a racy one fails in nearly every run on a machine with two free cores.
 */
final class SpinRace {

    static final int MAX_ROUNDS = 20_000;
    static final int HOT_ROUNDS = 2_000;
    static final Duration TIME = Patience.seconds(2);
    private static final long HOT_NANOS = 1_000;

    /** One racer's step in one round. */
    @FunctionalInterface
    interface Step {
        void run(int racer, int round) throws Exception;
    }

    /** How it went: how many rounds ran, and in how many both racers started within a microsecond. */
    record Result(int rounds, int hotRounds) {
    }

    private final long[][] started = new long[MAX_ROUNDS][2];
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int lastRound = Integer.MAX_VALUE; // set by racer 0 when it is time to stop
    private int rounds;    // by racer 0; read after both have ended
    private int hotRounds; // likewise

    private SpinRace() {
    }

    /** Runs the race; {@code what} describes it in failures ("[03.4] done() racing cancel()"). */
    static Result run(String id, String what, Step step) throws InterruptedException {
        SpinRace race = new SpinRace();
        Background<Void> first = Background.run(what + ", racer 0", () -> race.race(0, step));
        Background<Void> second = Background.run(what + ", racer 1", () -> race.race(1, step));
        try {
            awaitWatching(id, what + " did not finish", first, second);
            awaitWatching(id, what + " did not finish", second, first);
        } finally {
            stop(first, second);
        }
        return new Result(race.rounds, race.hotRounds);
    }

    private void race(int racer, Step step) throws Exception {
        long stopAt = System.nanoTime() + TIME.toNanos();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (racer == 0) {
                if (round > 0 && Math.abs(started[round - 1][0] - started[round - 1][1]) < HOT_NANOS) {
                    hotRounds++;
                }
                if (hotRounds >= HOT_ROUNDS || System.nanoTime() > stopAt || round == MAX_ROUNDS - 1) {
                    rounds = round;
                    lastRound = round - 1; // before arriving: the other racer sees it while it waits
                    return;
                }
            }
            int everybody = 2 * (round + 1);
            arrived.incrementAndGet();
            for (int spins = 0; arrived.get() < everybody; spins++) {
                if (lastRound < round) {
                    return;
                }
                if (spins > 20_000) {
                    Thread.yield(); // the other racer has no core just now
                }
                if (System.nanoTime() > stopAt + PATIENCE.toNanos()) {
                    throw new IllegalStateException("the other racer stopped coming: it failed, see its failure");
                }
                Thread.onSpinWait();
            }
            started[round][racer] = System.nanoTime();
            int offset = round % 64 - 32; // > 0: racer 0 starts later, < 0: racer 1 does
            for (int delay = racer == 0 ? offset : -offset; delay > 0; delay--) {
                Thread.onSpinWait();
            }
            step.run(racer, round);
        }
    }
}
