package workshop.support.junit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Proves that the extension bites: known-bad fixtures must fail, known-good ones must pass. */
@DisplayName("The exercise extension")
class ExerciseExtensionTest {

    static EngineExecutionResults execute(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(fixture))
                .execute();
    }

    static Events run(Class<?> fixture) {
        return execute(fixture).testEvents();
    }

    static Throwable onlyFailure(Events events) {
        List<Event> failed = events.failed().list();
        assertThat(failed).as("failed fixture tests").hasSize(1);
        return failed.getFirst().getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow();
    }

    // ---- fixtures: run only through EngineTestKit (their names keep Surefire and IDEs from picking them up) ----

    static final CountDownLatch RELEASE_VIRTUAL = new CountDownLatch(1);
    static final CountDownLatch RELEASE_POOL = new CountDownLatch(1);
    static final CountDownLatch RELEASE_BEFORE_ALL = new CountDownLatch(1);
    static final CountDownLatch RELEASE_PLATFORM = new CountDownLatch(1);
    static final CountDownLatch RELEASE_PARKED = new CountDownLatch(1);
    static volatile boolean stopSpinning;
    static volatile boolean stopBackgroundSpin;
    static volatile boolean stopSleeping;
    static volatile Thread deadlockedA;
    static volatile Thread deadlockedB;

    @Tag("99.1")
    static class LeaksAVirtualThreadFixture {
        @Test
        void leaks() {
            Thread.ofVirtual().name("leaky-virtual").start(() -> {
                try {
                    RELEASE_VIRTUAL.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
        }
    }

    static class LeaksAPlatformThreadFixture {
        @Test
        void leaks() {
            Thread.ofPlatform().daemon().name("leaky-platform").start(() -> {
                try {
                    RELEASE_PLATFORM.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
        }
    }

    static class LeaksIntoTheCommonPoolFixture {
        @Test
        void leaks() throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            ForkJoinPool.commonPool().execute(() -> {
                running.countDown();
                try {
                    RELEASE_POOL.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
            // a leak is a task that runs and blocks; one still queued is no thread yet, for goleak as for this detector
            assertThat(running.await(30, TimeUnit.SECONDS)).as("the leaking task started").isTrue();
        }
    }

    static class LeaksInBeforeAllFixture {
        @BeforeAll
        static void startsAThread() {
            Thread.ofVirtual().name("leaky-before-all").start(() -> {
                try {
                    RELEASE_BEFORE_ALL.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
        }

        @Test
        void first() {
        }

        @Test
        void second() {
        }
    }

    static class CleansUpFixture {
        @Test
        void joinsItsThreads() throws InterruptedException {
            Thread.ofVirtual().start(() -> { }).join();
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                executor.submit(() -> 42);
            }
        }

        @Test
        void doesSocketIoOnVirtualThreads() throws Exception {
            // the JDK starts its I/O pollers (MasterPoller, SubPoller-N) on first use: they are not the test's leak
            try (var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                Thread echo = Thread.ofVirtual().start(() -> {
                    try (var socket = server.accept()) {
                        socket.getOutputStream().write(socket.getInputStream().read());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                try (var client = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    client.getOutputStream().write(7);
                    assertThat(client.getInputStream().read()).isEqualTo(7);
                }
                echo.join();
            }
        }

        @Test
        void leavesAThreadThatEndsWithinTheGracePeriod() {
            Thread.ofVirtual().start(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
        }
    }

    @Tag("99.2")
    static class SpinsForeverFixture {
        @Test
        @TimeLimit(seconds = 1)
        void spins() {
            while (!stopSpinning) {
                Thread.onSpinWait();
            }
        }
    }

    @Tag("99.3")
    static class SpinsInABackgroundCallFixture {
        @Test
        @TimeLimit(seconds = 1)
        void waitsForACallThatSpins() throws InterruptedException {
            Background<Void> call = Background.run("[99.3] spin()", ExerciseExtensionTest::spinUntilStopped);
            call.await(Patience.seconds(60)); // longer than the time limit: the limit reports it
        }
    }

    @Tag("99.4")
    static class BackgroundCallDoesNotReturnFixture {
        @Test
        void waitsLessThanItsTimeLimit() throws InterruptedException {
            Background<Void> call = Background.run("[99.4] sleepPoll()", ExerciseExtensionTest::sleepUntilStopped);
            call.await(java.time.Duration.ofMillis(300));
        }
    }

    @Tag("99.5")
    static class AwaitilityGivesUpFixture {
        @Test
        void waitsForAConditionThatNeverHolds() {
            Background<Void> call = Background.run("[99.5] park()", () -> RELEASE_PARKED.await());
            org.awaitility.Awaitility.await("[99.5] the call to return").atMost(java.time.Duration.ofMillis(300))
                    .until(call::isDone);
        }
    }

    static class FailFastFixture {
        @Test
        void failsFast() {
            org.awaitility.Awaitility.await("[99.6] the call to return").atMost(java.time.Duration.ofSeconds(5))
                    .failFast("[99.6] the call returned the wrong thing", () -> true)
                    .until(() -> false);
        }
    }

    static void spinUntilStopped() {
        while (!stopBackgroundSpin) {
            Thread.onSpinWait();
        }
    }

    static void sleepUntilStopped() throws InterruptedException {
        while (!stopSleeping) {
            Thread.sleep(1);
        }
    }

    static class DeadlocksFixture {
        @Test
        @TimeLimit(seconds = 1)
        void deadlocks() throws InterruptedException {
            ReentrantLock a = new ReentrantLock();
            ReentrantLock b = new ReentrantLock();
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            deadlockedA = Thread.ofPlatform().name("holds-a-wants-b").start(() -> lockBoth(a, b, bothHoldOne));
            deadlockedB = Thread.ofPlatform().name("holds-b-wants-a").start(() -> lockBoth(b, a, bothHoldOne));
            deadlockedA.join();
        }

        private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
            first.lock();
            try {
                bothHoldOne.countDown();
                bothHoldOne.await();
                second.lockInterruptibly();
                second.unlock();
            } catch (InterruptedException e) {
                // the test's clean-up ends the deadlock
            } finally {
                first.unlock();
            }
        }
    }

    // ---- the specification ----

    @Nested
    @DisplayName("as a reporter of the test's own waits")
    class AsAReporterOfWaits {

        @Test
        @DisplayName("shows what a background call does when the test stops waiting for it before its time limit")
        void showsABackgroundCallThatDidNotReturn() {
            try {
                Throwable failure = onlyFailure(run(BackgroundCallDoesNotReturnFixture.class));
                assertThat(failure).isInstanceOf(AssertionError.class)
                        .hasMessageContaining("[99.4] sleepPoll() did not return within 300 ms")
                        .hasMessageContaining("\"workshop-background-[99.4] sleepPoll()\" TIMED_WAITING")
                        .hasMessageContaining("SLEEP-POLLING")
                        .hasMessageContaining("ExerciseExtensionTest.sleepUntilStopped");
            } finally {
                stopSleeping = true;
            }
        }

        @Test
        @DisplayName("shows the test's threads when an Awaitility wait gives up, as they were before its clean-up")
        void showsThreadsWhenAwaitilityGivesUp() {
            try {
                Throwable failure = onlyFailure(run(AwaitilityGivesUpFixture.class));
                assertThat(failure).isInstanceOf(WaitTimedOut.class)
                        .hasMessageContaining("[99.5] the call to return")
                        .hasMessageContaining("Every thread involved is blocked")
                        .hasMessageContaining("\"workshop-background-[99.5] park()\" WAITING")
                        .hasMessageContaining("CountDownLatch");
            } finally {
                RELEASE_PARKED.countDown();
            }
        }

        @Test
        @DisplayName("fails the test as an assertion, with the test's message, when a wait's fail-fast condition holds")
        void reportsAFailFastAsAnAssertion() {
            Throwable failure = onlyFailure(run(FailFastFixture.class));
            assertThat(failure).isExactlyInstanceOf(AssertionError.class)
                    .hasMessage("[99.6] the call returned the wrong thing");
        }
    }

    @Nested
    @DisplayName("as a leak detector")
    class AsALeakDetector {

        @Test
        @DisplayName("fails a test that leaves a virtual thread blocked, naming it, its state and where it waits")
        void failsALeakedVirtualThread() {
            try {
                EngineExecutionResults results = execute(LeaksAVirtualThreadFixture.class);
                assertThat(results.containerEvents().failed().count())
                        .as("the test's leak is reported once, by the test, not again by its class").isZero();
                Throwable failure = onlyFailure(results.testEvents());
                assertThat(failure).isInstanceOf(ThreadLeak.class)
                        .hasMessageContaining("[99.1]")
                        .hasMessageContaining("1 thread started by this test")
                        .hasMessageContaining("virtual \"leaky-virtual\" WAITING")
                        .hasMessageContaining("CountDownLatch.await")
                        .hasMessageContaining("LeaksAVirtualThreadFixture");
            } finally {
                RELEASE_VIRTUAL.countDown();
            }
        }

        @Test
        @DisplayName("fails a test that leaves a platform thread blocked")
        void failsALeakedPlatformThread() {
            try {
                Throwable failure = onlyFailure(run(LeaksAPlatformThreadFixture.class));
                assertThat(failure).isInstanceOf(ThreadLeak.class)
                        .hasMessageContaining("platform \"leaky-platform\" WAITING");
            } finally {
                RELEASE_PLATFORM.countDown();
            }
        }

        @Test
        @DisplayName("fails a test that leaves a task blocked in the common pool, which it does not count as the JDK's own")
        void failsABusyCommonPoolWorker() {
            ForkJoinPool.commonPool().submit(() -> { }).join(); // a worker exists before the test: it must still be seen
            try {
                Throwable failure = onlyFailure(run(LeaksIntoTheCommonPoolFixture.class));
                assertThat(failure).isInstanceOf(ThreadLeak.class)
                        .hasMessageContaining("ForkJoinPool.commonPool-worker")
                        .hasMessageContaining("LeaksIntoTheCommonPoolFixture");
            } finally {
                RELEASE_POOL.countDown();
            }
        }

        @Test
        @DisplayName("fails a test class whose @BeforeAll leaves a thread alive, and none of its tests")
        void failsALeakFromBeforeAll() {
            try {
                EngineExecutionResults results = execute(LeaksInBeforeAllFixture.class);
                assertThat(results.testEvents().succeeded().count()).as("tests of the class").isEqualTo(2);
                List<Event> failed = results.containerEvents().failed().list();
                assertThat(failed).as("failed containers").hasSize(1);
                assertThat(failed.getFirst().getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable).orElseThrow())
                        .isInstanceOf(ThreadLeak.class)
                        .hasMessageContaining("@BeforeAll/@AfterAll")
                        .hasMessageContaining("\"leaky-before-all\"");
            } finally {
                RELEASE_BEFORE_ALL.countDown();
            }
        }

        @Test
        @DisplayName("passes tests that join their threads, whose threads end within the grace period, or that start "
                     + "the JDK's own threads")
        void passesCleanTests() {
            Events events = run(CleansUpFixture.class);
            assertThat(events.failed().count()).as("failed clean fixtures").isZero();
            assertThat(events.succeeded().count()).as("passed clean fixtures").isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("as a time limit")
    class AsATimeLimit {

        @Test
        @DisplayName("fails an infinite loop after its time limit and says a thread is still running")
        void failsAnInfiniteLoop() {
            try {
                Throwable failure = onlyFailure(run(SpinsForeverFixture.class));
                assertThat(failure).isInstanceOf(ExerciseTimedOut.class)
                        .hasMessageContaining("[99.2]")
                        .hasMessageContaining("did not finish within " + Patience.seconds(1).toMillis() / 1000.0 + " s")
                        .hasMessageContaining("infinite loop")
                        .hasMessageContaining("SpinsForeverFixture.spins");
            } finally {
                stopSpinning = true;
            }
        }

        @Test
        @DisplayName("names a call the test waits for that spins, with its frames, instead of calling it blocked")
        void namesASpinningCall() {
            try {
                Throwable failure = onlyFailure(run(SpinsInABackgroundCallFixture.class));
                assertThat(failure).isInstanceOf(ExerciseTimedOut.class)
                        .hasMessageContaining("[99.3]")
                        .hasMessageContaining("never stops to wait")
                        .hasMessageContaining("\"workshop-background-[99.3] spin()\" RUNNABLE")
                        .hasMessageContaining("SPINNING")
                        .hasMessageContaining("ExerciseExtensionTest.spinUntilStopped")
                        .hasMessageNotContaining("Every thread involved is blocked");
            } finally {
                stopBackgroundSpin = true;
            }
        }

        @Test
        @DisplayName("fails a deadlock after its time limit and shows every blocked thread")
        void failsADeadlock() throws InterruptedException {
            try {
                Throwable failure = onlyFailure(run(DeadlocksFixture.class));
                assertThat(failure).isInstanceOf(ExerciseTimedOut.class)
                        .hasMessageContaining("deadlock")
                        .hasMessageContaining("\"holds-a-wants-b\" WAITING")
                        .hasMessageContaining("\"holds-b-wants-a\" WAITING")
                        .hasMessageFindingMatch("ReentrantLock\\$NonfairSync@\\p{XDigit}+ held by #\\d+ \"holds-b-wants-a\"")
                        .hasMessageFindingMatch("ReentrantLock\\$NonfairSync@\\p{XDigit}+ held by #\\d+ \"holds-a-wants-b\"");
            } finally {
                deadlockedA.interrupt();
                deadlockedB.interrupt();
                deadlockedA.join();
                deadlockedB.join();
            }
        }
    }
}
