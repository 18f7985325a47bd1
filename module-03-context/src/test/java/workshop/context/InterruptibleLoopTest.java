package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("03.8")
@DisplayName("03.8 Answer interruption in a blocking loop")
class InterruptibleLoopTest {

    /** Put in the queue by the cleanup: the test's sink throws on it, so even a loop that ignores interrupts ends. */
    private static final String POISON = "poison: the test is over";

    private static final String WAIT_FOR_AN_ITEM = "Block in the queue's own untimed wait for the next item: it "
            + "answers interruption";

    /** Thrown by the test's sink on {@link #POISON}; no solution catches it. */
    private static final class TestIsOver extends RuntimeException {
        TestIsOver() {
            super("[03.8] the test ended the loop with a poison item, because an interrupt did not");
        }
    }

    /** A sink that records items and throws on the poison. */
    private static final class RecordingSink implements Consumer<String> {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String item) {
            if (item.equals(POISON)) {
                throw new TestIsOver();
            }
            received.add(item);
        }
    }

    /** Runs drain on a background thread; the result is the interrupt flag as seen right after drain returned. */
    private static Background<Boolean> drainInBackground(BlockingQueue<String> queue, Consumer<String> sink) {
        return Background.call("[03.8] drain(queue, sink)", () -> {
            InterruptibleLoop.drain(queue, sink);
            return Thread.currentThread().isInterrupted();
        });
    }

    /** Ends a loop that is still running: the poison makes the sink throw; then waits for the thread. */
    private static void endLoop(BlockingQueue<String> queue, Background<Boolean> loop) throws InterruptedException {
        if (!loop.isDone()) {
            queue.add(POISON);
        }
        loop.join(PATIENCE);
    }

    @Test
    @DisplayName("hands every item to the sink in order, then returns promptly when interrupted while waiting")
    void returnsPromptlyWhenInterruptedWhileWaiting() throws InterruptedException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of("a", "b", "c"));
        RecordingSink sink = new RecordingSink();
        Background<Boolean> loop = drainInBackground(queue, sink);
        try {
            Waiting.awaitWaiting(loop, "03.8", "drain returned although nobody interrupted it and the queue was "
                    + "merely empty: an empty queue means wait for the next item", WAIT_FOR_AN_ITEM);
            assertThat(sink.received).as("[03.8] the items in the queue before the interrupt, in queue order, "
                    + "should all have reached the sink, but it got %s (README 03.8)", sink.received)
                    .containsExactly("a", "b", "c");

            loop.thread().interrupt();

            awaitWatching("03.8", "drain was interrupted while waiting for an item but kept running: does it catch "
                    + "InterruptedException and loop again? Interruption means stop", loop);
        } finally {
            endLoop(queue, loop);
        }
    }

    @Test
    @DisplayName("returns with the thread's interrupt flag set, so that its caller still sees the request to stop")
    void returnsWithTheInterruptFlagSet() throws InterruptedException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Background<Boolean> loop = drainInBackground(queue, new RecordingSink());
        try {
            Waiting.awaitWaiting(loop, "03.8", "drain returned although nobody interrupted it and the queue was "
                    + "merely empty: an empty queue means wait for the next item", WAIT_FOR_AN_ITEM);
            loop.thread().interrupt();
            boolean flagAfterReturn = awaitWatching("03.8", "drain was interrupted while waiting for an item but "
                    + "kept running: interruption means stop", loop);

            assertThat(flagAfterReturn).as("[03.8] expected the interrupt flag to be set when drain returned, but it "
                    + "was cleared: catching InterruptedException clears it, restore it with "
                    + "Thread.currentThread().interrupt() (README 03.8)").isTrue();
        } finally {
            endLoop(queue, loop);
        }
    }

    @Test
    @DisplayName("stops before the next item when interrupted while the sink works")
    void stopsBeforeTheNextItemWhenInterruptedWhileTheSinkWorks() throws InterruptedException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of("first", "second", "third"));
        RecordingSink recorder = new RecordingSink();
        Consumer<String> sink = item -> {
            recorder.accept(item);
            if (item.equals("first")) {
                Thread.currentThread().interrupt(); // the interrupt arrives while the sink works on "first"
            }
        };
        Background<Boolean> loop = drainInBackground(queue, sink);
        try {
            boolean flagAfterReturn = awaitWatching("03.8", "drain was interrupted while the sink worked on an item "
                    + "and kept running: an interrupt must end the loop before it waits again", loop);

            assertThat(recorder.received).as("[03.8] interrupted while the sink handled \"first\", drain should stop "
                    + "before taking the next item, but the sink got %s: is the interrupt swallowed somewhere? "
                    + "(README 03.8)", recorder.received).containsExactly("first");
            assertThat(flagAfterReturn).as("[03.8] expected the interrupt flag to be set when drain returned, but it "
                    + "was cleared: restore it with Thread.currentThread().interrupt() (README 03.8)").isTrue();
        } finally {
            endLoop(queue, loop);
        }
    }

    @Test
    @DisplayName("returns at once, taking nothing, when its thread is interrupted on entry")
    void returnsAtOnceWhenInterruptedOnEntry() throws InterruptedException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of("never taken"));
        RecordingSink sink = new RecordingSink();
        Background<Boolean> loop = Background.call("[03.8] drain(queue, sink) on an interrupted thread", () -> {
            Thread.currentThread().interrupt();
            InterruptibleLoop.drain(queue, sink);
            return Thread.currentThread().isInterrupted();
        });
        try {
            boolean flagAfterReturn = awaitWatching("03.8", "drain ran on a thread that was interrupted already and "
                    + "kept running: the request to stop may come before the loop starts", loop);

            assertThat(sink.received).as("[03.8] the thread was interrupted before drain began, so no item should "
                    + "reach the sink, but it got %s (README 03.8)", sink.received).isEmpty();
            assertThat(flagAfterReturn).as("[03.8] expected the interrupt flag to be set when drain returned, but it "
                    + "was cleared: restore it with Thread.currentThread().interrupt() (README 03.8)").isTrue();
        } finally {
            endLoop(queue, loop);
        }
    }
}
