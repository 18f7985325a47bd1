package workshop.context;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;

/**
 * Calls a test hands to the learner's code (03.10–03.12): they count who started, who was interrupted and who
 * ended, and block until the test releases them or their thread is interrupted.
 */
final class TrackedCalls {

    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    final AtomicInteger exited = new AtomicInteger();
    /** Opens when {@code expected} calls have started. */
    final CountDownLatch allStarted;
    /** Opened by the test's cleanup only: ends calls that a wrong solution left running, so a failure stays one. */
    final CountDownLatch released = new CountDownLatch(1);

    /** @param expected how many calls {@link #allStarted} waits for (0 if the test does not use it) */
    TrackedCalls(int expected) {
        allStarted = new CountDownLatch(expected);
    }

    /** A call that blocks until interrupted (or until the cleanup releases it). */
    Callable<String> blockUntilInterrupted() {
        return answerWhen(released, "a value that cannot come");
    }

    /** A call that answers {@code answer} once {@code release} opens, unless interrupted first. */
    Callable<String> answerWhen(CountDownLatch release, String answer) {
        return () -> {
            started.incrementAndGet();
            allStarted.countDown();
            try {
                release.await();
                return answer;
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            } finally {
                exited.incrementAndGet();
            }
        };
    }

    /** A call that throws {@code failure} once every expected call has started. */
    Callable<String> failWhenAllStarted(Exception failure) {
        return () -> {
            started.incrementAndGet();
            allStarted.countDown();
            try {
                allStarted.await();
                throw failure;
            } finally {
                exited.incrementAndGet();
            }
        };
    }

    /** The test's cleanup: releases every call still blocked and waits until each one that started has ended. */
    void endAll(String id) {
        released.countDown();
        await("[" + id + "] the calls to end after the test").atMost(PATIENCE)
                .until(() -> exited.get() == started.get());
    }
}
