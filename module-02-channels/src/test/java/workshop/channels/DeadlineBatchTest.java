package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Time is the subject here, so the test owns it: a fake clock, far from the real time, that moves only when the fake
 * queue "waits". Nothing really waits, so every test is exact and fast.
 */
@Tag("02.11")
@DisplayName("02.11 A batch with one deadline")
class DeadlineBatchTest {

    /** Years away from the real time: a solution that reads the system clock cannot pass by accident. */
    private static final Instant START = Instant.parse("2099-01-01T09:00:00Z");

    /** A clock that moves only when told to. */
    private static final class FakeClock implements InstantSource {
        private volatile Instant now = START;
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Instant instant() {
            reads.incrementAndGet();
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    /** What happens during a wait: {@code item} arrives {@code after} into it; a null item never arrives. */
    private record Step(Duration after, String item) {
        static Step arrives(String item, long afterMillis) {
            return new Step(Duration.ofMillis(afterMillis), item);
        }

        static Step nothing() {
            return new Step(Duration.ZERO, null);
        }
    }

    /** A queue whose timed poll follows a script and moves the clock instead of waiting. */
    private static final class ScriptedQueue extends LinkedBlockingQueue<String> {
        final FakeClock clock;
        final Instant deadline;
        final Deque<Step> script = new ArrayDeque<>();
        final List<Duration> asked = new ArrayList<>();
        final List<Duration> left = new ArrayList<>();
        final List<Integer> clockReadsBefore = new ArrayList<>();

        ScriptedQueue(FakeClock clock, Instant deadline, String... ready) {
            this.clock = clock;
            this.deadline = deadline;
            addAll(List.of(ready)); // available at once
        }

        ScriptedQueue then(Step... steps) {
            script.addAll(List.of(steps));
            return this;
        }

        @Override
        public String poll(long timeout, TimeUnit unit) {
            Duration wait = Duration.ofNanos(unit.toNanos(timeout));
            clockReadsBefore.add(clock.reads.get());
            asked.add(wait);
            left.add(Duration.between(clock.now, deadline));
            String ready = super.poll();
            if (ready != null || !wait.isPositive()) {
                return ready;
            }
            Step step = script.pollFirst();
            if (step == null || step.item() == null || step.after().compareTo(wait) > 0) {
                if (step != null && step.item() != null) {
                    script.addFirst(new Step(step.after().minus(wait), step.item())); // it comes later
                }
                clock.advance(wait); // nothing arrived: the whole timeout passed
                return null;
            }
            clock.advance(step.after());
            return step.item();
        }

        @Override
        public String take() {
            throw new AssertionError("[02.11] collect called take(), which waits without a time limit: past the "
                    + "deadline it would still wait. Wait with poll(timeout, unit) for the time left (README 02.11)");
        }
    }

    private static String ordinal(int index) {
        return switch (index + 1) {
            case 1 -> "1st";
            case 2 -> "2nd";
            case 3 -> "3rd";
            default -> (index + 1) + "th";
        };
    }

    /**
     * Before every timed wait, collect asked the clock it was given for the time: the time left can be known no other
     * way, since only that clock moves. A solution that reads {@code Instant.now()} or {@code System.nanoTime()}
     * never asks it, or asks it once and then waits on an old reading.
     */
    private static void assertEachWaitLookedAtTheClock(ScriptedQueue queue) {
        for (int i = 0; i < queue.clockReadsBefore.size(); i++) {
            int readsBefore = queue.clockReadsBefore.get(i);
            assertThat(readsBefore)
                    .as("[02.11] the %s poll waited %d ms, and the clock you were given was never asked: you read the "
                        + "system clock (Instant.now() or System.nanoTime()). Time here comes only from the "
                        + "InstantSource you were given: ask it for the time left before every wait (README 02.11)",
                        ordinal(i), queue.asked.get(i).toMillis())
                    .isPositive();
            if (i > 0) {
                assertThat(readsBefore)
                        .as("[02.11] the %s poll waited %d ms without asking the clock again after the poll before: "
                            + "time passed during that wait, so the time left is less now. One deadline for the "
                            + "whole batch, not one timeout per item: ask the InstantSource you were given before "
                            + "every wait (README 02.11)", ordinal(i), queue.asked.get(i).toMillis())
                        .isGreaterThan(queue.clockReadsBefore.get(i - 1));
            }
        }
    }

    /** Every wait asked for no more than the time left until the deadline (1 ms of rounding allowed). */
    private static void assertEachWaitFitsTheTimeLeft(ScriptedQueue queue) {
        assertEachWaitLookedAtTheClock(queue);
        for (int i = 0; i < queue.asked.size(); i++) {
            Duration asked = queue.asked.get(i);
            Duration left = queue.left.get(i);
            assertThat(asked)
                    .as("[02.11] the %s poll asked to wait %d ms, but only %d ms were left until the deadline: %s "
                        + "(README 02.11)", ordinal(i), asked.toMillis(), left.toMillis(),
                        i == 0 ? "measure the time left with the clock you are given, not the system clock"
                               : "one deadline for the whole batch, not one timeout per item")
                    .isLessThanOrEqualTo(left.plusMillis(1));
        }
    }

    @Nested
    @DisplayName("before the deadline")
    class BeforeTheDeadline {

        @Test
        @DisplayName("each wait lasts only as long as the time left until the one deadline")
        void eachWaitLastsOnlyAsLongAsTheTimeLeft() throws InterruptedException {
            FakeClock clock = new FakeClock();
            Instant deadline = START.plusMillis(1_000);
            ScriptedQueue queue = new ScriptedQueue(clock, deadline)
                    .then(Step.arrives("a", 400), Step.arrives("b", 300), Step.nothing());

            List<String> batch = DeadlineBatch.collect(queue, 5, deadline, clock);

            assertEachWaitFitsTheTimeLeft(queue);
            assertThat(batch)
                    .as("[02.11] two items arrived before the deadline, then none (README 02.11)")
                    .containsExactly("a", "b");
            assertThat(Duration.between(START, clock.instant()).toMillis())
                    .as("[02.11] collect should return when the deadline comes, 1,000 ms after the start "
                        + "(README 02.11)")
                    .isEqualTo(1_000);
        }

        @Test
        @DisplayName("returns as soon as the batch is full, without waiting again")
        void returnsAsSoonAsTheBatchIsFull() throws InterruptedException {
            FakeClock clock = new FakeClock();
            Instant deadline = START.plusMillis(1_000);
            ScriptedQueue queue = new ScriptedQueue(clock, deadline, "ready")
                    .then(Step.arrives("a", 100), Step.arrives("b", 100));

            List<String> batch = DeadlineBatch.collect(queue, 3, deadline, clock);

            assertEachWaitFitsTheTimeLeft(queue);
            assertThat(batch)
                    .as("[02.11] the batch of 3: the item that was there at once, then two that arrived (README 02.11)")
                    .containsExactly("ready", "a", "b");
            assertThat(Duration.between(START, clock.instant()).toMillis())
                    .as("[02.11] the batch was full after 200 ms, so collect should return then, without waiting "
                        + "again; it waited until %d ms (README 02.11)",
                            Duration.between(START, clock.instant()).toMillis())
                    .isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("at or past the deadline")
    class PastTheDeadline {

        @Test
        @DisplayName("returns at once with the items that are there, without waiting")
        void returnsAtOnceWithWhatIsThere() throws InterruptedException {
            for (long ago : new long[] {0, 1_000}) {
                FakeClock clock = new FakeClock();
                Instant deadline = START.minusMillis(ago);
                ScriptedQueue queue = new ScriptedQueue(clock, deadline, "x", "y").then(Step.arrives("late", 1));

                List<String> batch = DeadlineBatch.collect(queue, 5, deadline, clock);

                assertEachWaitLookedAtTheClock(queue);
                assertThat(queue.asked)
                        .as("[02.11] with the deadline %d ms ago, collect asked to wait %s: past the deadline, take "
                            + "only what is there at once (README 02.11)", ago, queue.asked)
                        .allMatch(wait -> !wait.isPositive());
                assertThat(batch)
                        .as("[02.11] with the deadline %d ms ago, the batch should hold the items that were there at "
                            + "once, and nothing that came later (README 02.11)", ago)
                        .containsExactly("x", "y");
                assertThat(clock.instant())
                        .as("[02.11] with the deadline %d ms ago, no time should pass (README 02.11)", ago)
                        .isEqualTo(START);
            }
        }

        @Test
        @DisplayName("a batch of fewer than one item is rejected")
        void aBatchOfFewerThanOneIsRejected() {
            FakeClock clock = new FakeClock();
            assertThat(catchThrowable(() -> DeadlineBatch.collect(new ScriptedQueue(clock, START), 0,
                    START.plusSeconds(1), clock)))
                    .as("[02.11] collect(..., max 0, ...) should throw IllegalArgumentException (README 02.11)")
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
