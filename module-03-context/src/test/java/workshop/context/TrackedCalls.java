package workshop.context;

import workshop.support.testing.Background;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;

/**
 * Calls a test hands to the learner's code (03.10–03.13): they count who started, who was interrupted and who
 * ended, note the threads they ran on, and block until the test releases them or their thread is interrupted.
 *
 * <p>An interrupted call lingers, as real clean-up takes a while: it stays running until the test lets it exit
 * ({@link #awaitCancelledWhileCallerWaits}). Then a caller that returns without waiting for the calls it cancelled is
 * seen doing so every time, not only when it happens to be faster than the calls' exit.
 */
final class TrackedCalls {

    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    final AtomicInteger exited = new AtomicInteger();
    /** The threads the calls ran on. */
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    /** Opens when {@code expected} calls have started. */
    final CountDownLatch allStarted;
    /** Opened by the test's cleanup only: ends calls that a wrong solution left running, so a failure stays one. */
    final CountDownLatch released = new CountDownLatch(1);
    /** Opened by the test once it has seen the caller wait for the interrupted calls: they may then exit. */
    final CountDownLatch mayExit = new CountDownLatch(1);

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
            begin();
            try {
                release.await();
                return answer;
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                linger();
                throw e;
            } finally {
                exited.incrementAndGet();
            }
        };
    }

    /** A call that throws {@code failure} once every expected call has started. */
    Callable<String> failWhenAllStarted(Exception failure) {
        return () -> {
            begin();
            try {
                allStarted.await();
                throw failure;
            } finally {
                exited.incrementAndGet();
            }
        };
    }

    /** A call that throws {@code failure} at once. */
    Callable<String> failAtOnce(Exception failure) {
        return () -> {
            begin();
            exited.incrementAndGet();
            throw failure;
        };
    }

    /** A call that answers at once. */
    Callable<String> answerAtOnce(String answer) {
        return () -> {
            begin();
            exited.incrementAndGet();
            return answer;
        };
    }

    private void begin() {
        threads.add(Thread.currentThread());
        started.incrementAndGet();
        allStarted.countDown();
    }

    /** Clean-up after an interrupt: until the test lets the call exit (bounded: never a hang). */
    private void linger() {
        try {
            mayExit.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt(); // interrupted twice: stop lingering
        }
    }

    /**
     * The heart of "cancel, then wait": waits until {@code count} calls have been interrupted, checks that
     * {@code caller} is still waiting for them (they linger in their clean-up), and only then lets them exit.
     * Fails at once, saying what it saw, if the caller returns before they were all interrupted (it abandoned calls
     * that still run) or before they have ended (it cancelled them but did not wait). {@code who} names the caller.
     */
    void awaitCancelledWhileCallerWaits(String id, int count, Background<?> caller, String who) {
        await("[" + id + "] " + calls(count) + " to be interrupted by " + who + " (README " + id + ")")
                .atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                .failFast(() -> {
                    caller.rethrowIfFailed();
                    int seen = interrupted.get();
                    if (caller.isDone() && seen < count) {
                        int running = count - seen;
                        throw new AssertionError("[" + id + "] " + who + " returned while " + running
                                + " of the " + calls(count) + " it should have cancelled "
                                + (running == 1 ? "was" : "were") + " still running, not even interrupted (" + seen
                                + " " + (seen == 1 ? "was" : "were") + "): cancel them by interruption, and wait "
                                + "until they have ended (README " + id + ")");
                    }
                    return false;
                })
                .until(() -> interrupted.get() >= count);
        awaitParked(caller, id, who + " returned while the " + calls(count) + " it had interrupted "
                + (count == 1 ? "was" : "were") + " still running (busy cleaning up): after cancelling them, wait "
                + "until they have ended");
        mayExit.countDown();
    }

    private static String calls(int count) {
        return count == 1 ? "1 call" : count + " calls";
    }

    /** The first step of the test's cleanup, before it stops the caller: lets every call answer or exit. */
    void release() {
        released.countDown();
        mayExit.countDown();
    }

    /** The test's cleanup: releases every call still blocked and waits until each one that started has ended. */
    void endAll(String id) {
        release();
        await("[" + id + "] the calls to end after the test").atMost(PATIENCE)
                .until(() -> exited.get() == started.get());
    }
}
