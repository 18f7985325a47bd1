package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("03.10")
@DisplayName("03.10 Fan out, fail fast (errgroup)")
class FanOutTest {

    @Test
    @DisplayName("returns the results in the order of the calls, not in the order they finished")
    void returnsResultsInTheOrderOfTheCalls() throws InterruptedException {
        CountDownLatch lastDone = new CountDownLatch(1);
        CountDownLatch middleDone = new CountDownLatch(1);
        List<Callable<String>> calls = List.of(
                () -> {
                    middleDone.await(); // finishes last
                    return "first";
                },
                () -> {
                    lastDone.await();
                    middleDone.countDown();
                    return "second";
                },
                () -> {
                    lastDone.countDown(); // finishes first
                    return "third";
                });
        Background<List<String>> fanOut = Background.call("[03.10] all(3 calls)", () -> FanOut.all(calls));
        try {
            List<String> results = awaitWatching("03.10", "all did not return although each call only waited for "
                    + "another one to finish: do the calls run at the same time?", fanOut);

            assertThat(results).as("[03.10] the results in the order of the calls (they finished in reverse "
                    + "order): collect by position, not as they arrive (README 03.10)")
                    .containsExactly("first", "second", "third");
        } finally {
            stop(fanOut);
        }
    }

    @Test
    @DisplayName("runs every call at the same time, each on a thread of its own")
    void runsEveryCallAtTheSameTime() throws InterruptedException {
        int calls = 4;
        AtomicInteger inFlight = new AtomicInteger();
        CountDownLatch allInFlight = new CountDownLatch(calls);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Callable<String>> waitForEachOther = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String name = "call " + i;
            waitForEachOther.add(() -> {
                threads.add(Thread.currentThread());
                inFlight.incrementAndGet();
                allInFlight.countDown();
                allInFlight.await(); // opens only when every call is running
                return name;
            });
        }
        Background<List<String>> fanOut = Background.call("[03.10] all(4 calls that wait for each other)",
                () -> FanOut.all(waitForEachOther));
        try {
            await().atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(5))
                    .failFast(() -> {
                        fanOut.rethrowIfFailed();
                        return false;
                    })
                    .untilAsserted(() -> assertThat(inFlight.get()).as("[03.10] expected %d calls in flight, saw %d: "
                            + "are you waiting for each call before starting the next one? Start them all, then "
                            + "join once (README 03.10)", calls, inFlight.get()).isEqualTo(calls));

            assertThat(awaitWatching("03.10", "all did not return after every call returned", fanOut))
                    .as("[03.10] the results (README 03.10)").containsExactly("call 0", "call 1", "call 2", "call 3");
            assertThat(threads).as("[03.10] expected each of the 4 calls on a thread of its own, none on the caller's "
                    + "thread, but they ran on %s, and the caller was %s: fork every call, and let the caller only "
                    + "wait (README 03.10)", threads, fanOut.thread())
                    .hasSize(calls).doesNotContain(fanOut.thread());
        } finally {
            stop(fanOut);
        }
    }

    @Test
    @DisplayName("on the first failure interrupts the other calls, waits until they have ended, and throws it")
    void theFirstFailureCancelsTheOthers() throws InterruptedException {
        TrackedCalls blockers = new TrackedCalls(2);
        IllegalStateException failure = new IllegalStateException("the inventory service is down");
        List<Callable<String>> calls = List.of(
                blockers.blockUntilInterrupted(),
                () -> {
                    blockers.allStarted.await(); // fail while both others block
                    throw failure;
                },
                blockers.blockUntilInterrupted());
        record Outcome(Throwable thrown, int exitedAtReturn) {
        }
        Background<Outcome> fanOut = Background.call("[03.10] all(blocked, failing, blocked)", () -> {
            Throwable thrown = catchThrowable(() -> FanOut.all(calls));
            if (thrown instanceof NotSolvedYet notSolvedYet) {
                throw notSolvedYet;
            }
            return new Outcome(thrown, blockers.exited.get());
        });
        try {
            blockers.awaitCancelledWhileCallerWaits("03.10", 2, fanOut, "all, after a call failed,");
            Outcome outcome = awaitWatching("03.10", "all did not return after a call failed and the two others had "
                    + "ended", fanOut);

            assertThat(outcome.thrown()).as("[03.10] expected ExecutionException with the failure as its cause, "
                    + "got %s: catch the scope's failure and pass its cause on (README 03.10)", outcome.thrown())
                    .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
            assertThat(outcome.exitedAtReturn()).as("[03.10] expected the 2 interrupted siblings to have ended when "
                    + "all threw, but %d had: wait for them (closing the scope does) (README 03.10)",
                    outcome.exitedAtReturn()).isEqualTo(2);
        } finally {
            blockers.release();
            stop(fanOut);
            blockers.endAll("03.10");
        }
    }

    @Test
    @DisplayName("interrupting the caller interrupts every call, waits until they have ended, and throws "
                 + "InterruptedException")
    void interruptingTheCallerCancelsEveryCall() throws InterruptedException {
        TrackedCalls blockers = new TrackedCalls(2);
        List<Callable<String>> calls = List.of(blockers.blockUntilInterrupted(), blockers.blockUntilInterrupted());
        record Outcome(Throwable thrown, int exitedAtReturn, boolean interruptedAtReturn) {
        }
        Background<Outcome> fanOut = Background.call("[03.10] all(blocked, blocked)", () -> {
            Throwable thrown = catchThrowable(() -> FanOut.all(calls));
            if (thrown instanceof NotSolvedYet notSolvedYet) {
                throw notSolvedYet;
            }
            return new Outcome(thrown, blockers.exited.get(), Thread.currentThread().isInterrupted());
        });
        try {
            await("[03.10] both calls to be running at the same time (README 03.10)").atMost(PATIENCE)
                    .failFast("[03.10] all returned while both calls were still blocked (README 03.10)", () -> {
                        fanOut.rethrowIfFailed();
                        return fanOut.isDone();
                    }).until(() -> blockers.started.get() == 2);
            awaitParked(fanOut, "03.10", "all returned while both calls were still blocked");

            fanOut.thread().interrupt();

            blockers.awaitCancelledWhileCallerWaits("03.10", 2, fanOut, "all, once its caller was interrupted,");
            Outcome outcome = awaitWatching("03.10", "all was interrupted but did not return after its calls had "
                    + "ended", fanOut);

            assertThat(outcome.thrown()).as("[03.10] expected InterruptedException when the caller is interrupted, "
                    + "got %s: the caller's interruption is not a result (README 03.10)", outcome.thrown())
                    .isInstanceOf(InterruptedException.class);
            assertThat(outcome.interruptedAtReturn()).as("[03.10] all threw InterruptedException with the "
                    + "interrupt status set again: the exception is how the interrupt is passed on, and a method "
                    + "that throws it clears the status, as the JDK's do (README 03.10)").isFalse();
            assertThat(outcome.exitedAtReturn()).as("[03.10] the caller was interrupted: expected both calls to have "
                    + "been cancelled and ended when all returned, but %d had (README 03.10)",
                    outcome.exitedAtReturn()).isEqualTo(2);
        } finally {
            blockers.release();
            stop(fanOut);
            blockers.endAll("03.10");
        }
    }
}
