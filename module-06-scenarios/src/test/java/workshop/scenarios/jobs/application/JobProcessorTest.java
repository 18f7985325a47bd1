package workshop.scenarios.jobs.application;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.jobs.application.JobProcessor.Settings;
import workshop.scenarios.jobs.application.JobProcessor.Stopped;
import workshop.scenarios.jobs.domain.JobId;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.16")
@DisplayName("06.16 Graceful shutdown")
class JobProcessorTest {

    private static final Duration POLL = Duration.ofMillis(2);
    /** 2 workers and a buffer of 4: 6 jobs leased at most. */
    private static final Settings SETTINGS = new Settings(2, 4, Duration.ofSeconds(60), Duration.ofMillis(20));

    private final FakeJobQueue queue = new FakeJobQueue();
    private final ProbeWorker probe = new ProbeWorker(queue);
    private final JobProcessor processor = new JobProcessor(queue, probe, SETTINGS);
    private Background<Stopped> stop;

    /** Starts the processor with 20 ready jobs and waits until 2 are in flight and 4 buffered. */
    private void startBusy() {
        queue.add("job", 20);
        processor.start();
        await("[06.16] the processor should lease 6 jobs (2 workers, a buffer of 4) and handle 2 (README 06.16)")
                .atMost(PATIENCE).pollInterval(POLL).until(() -> probe.running() == 2 && queue.leasedNow() == 6);
        assertThat(processor.inFlight()).as("[06.16] inFlight() with 2 jobs being handled (README 06.16)")
                .isEqualTo(2);
    }

    private Background<Stopped> stopping(Duration deadline) {
        stop = Background.call("[06.16] stop(" + deadline.toMillis() + " ms)", () -> processor.stop(deadline));
        return stop;
    }

    private void assertNothingLeased(String when) {
        List<JobId> stillLeased = queue.leasedIds();
        assertThat(stillLeased).as("[06.16] %s every leased job should be done or released (JobQueue.release), but "
                + "%s are still leased: they would wait %d s for their lease to expire (README 06.16)", when,
                stillLeased, SETTINGS.visibility().toSeconds()).isEmpty();
        assertThat(queue.anomalies()).as("[06.16] what the queue would refuse (README 06.16)").isEmpty();
    }

    /** Stop took no more jobs: no lease since {@code leasedBeforeStop}, and the leasing thread has ended. */
    private void assertNoLeaseAfterStop(int leasedBeforeStop) {
        for (Thread reader : queue.leasingThreads()) {
            assertThat(reader.getState()).as("[06.16] the thread that leases jobs (the reader, %s) is %s after stop() "
                    + "returned: stop it first, and wait until it has ended (README 06.16)", reader, reader.getState())
                    .isEqualTo(Thread.State.TERMINATED);
        }
        await("[06.16] the reader leased %d more jobs after stop() was called: stop taking jobs first, and wait until "
                + "the reader has ended (README 06.16)".formatted(queue.leasedTotal() - leasedBeforeStop))
                .during(Duration.ofMillis(150)).atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
                .until(() -> queue.leasedTotal() == leasedBeforeStop);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        probe.finish();
        probe.letInterruptedEnd();
        Parked.stop(stop);
        Background<Void> close = Background.run("[clean-up] close()", processor::close);
        close.join(PATIENCE);
    }

    @Nested
    @DisplayName("within the deadline")
    class WithinTheDeadline {

        @Test
        @DisplayName("stop lets the jobs in flight finish, and releases the buffered ones, never started")
        void inFlightFinish() throws Exception {
            startBusy();
            int leasedBeforeStop = queue.leasedTotal();
            stopping(Duration.ofSeconds(30));
            Parked.awaitParked(stop, "06.16", "stop(30 s) returned while 2 jobs were in flight: it should let them "
                    + "finish within the deadline, and wait for them");
            await("[06.16] stop(30 s) interrupted a job in flight long before its deadline: let the jobs in flight "
                    + "finish first (README 06.16)").during(Duration.ofMillis(150)).atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(10)).until(() -> probe.interrupted().isEmpty());
            assertThat(stop.isDone()).as("[06.16] stop(30 s) returned while 2 jobs were in flight: it should wait "
                    + "for them, up to the deadline (README 06.16)").isFalse();

            probe.finish();
            Stopped stopped = awaitWatching("06.16", "stop() should return once the jobs in flight have finished",
                    stop);
            assertThat(probe.running()).as("[06.16] stop() returned while %d jobs were still running (README 06.16)",
                    probe.running()).isZero();
            assertThat(probe.started()).as("[06.16] only the 2 jobs in flight should be handled during a shutdown: "
                    + "the buffered ones go back to the queue (README 06.16)").hasSize(2);
            assertThat(queue.completed()).as("[06.16] the 2 jobs in flight should finish (README 06.16)")
                    .containsExactlyInAnyOrderElementsOf(probe.started());
            assertNothingLeased("once stop() has returned,");
            assertThat(stopped).as("[06.16] stop() should report the 4 buffered jobs it released, and that the jobs "
                    + "in flight finished in time (README 06.16)").isEqualTo(new Stopped(4, true));
            assertNoLeaseAfterStop(leasedBeforeStop);
        }
    }

    @Nested
    @DisplayName("past the deadline")
    class PastTheDeadline {

        @Test
        @DisplayName("stop interrupts the jobs still running, waits until they have ended, and releases them")
        void interruptsWaitsReleases() throws Exception {
            startBusy();
            int leasedBeforeStop = queue.leasedTotal();
            stopping(Duration.ofMillis(200));
            await("[06.16] once the deadline (200 ms) has passed, stop() should interrupt the jobs still running: "
                    + "%d of 2 were interrupted (README 06.16)".formatted(probe.interrupted().size()))
                    .atMost(PATIENCE).pollInterval(POLL).until(() -> {
                        stop.rethrowIfFailed();
                        return probe.interrupted().size() == 2 || stop.isDone();
                    });
            assertThat(stop.isDone()).as("[06.16] stop() returned while the 2 interrupted jobs were still running: "
                    + "it should wait until they have ended (README 06.16)").isFalse();
            Parked.awaitParked(stop, "06.16", "stop() returned while the 2 interrupted jobs were still running: it "
                    + "should wait until they have ended");
            assertThat(probe.interrupted()).as("[06.16] both jobs in flight should be interrupted (README 06.16)")
                    .hasSize(2);

            probe.letInterruptedEnd();
            Stopped stopped = awaitWatching("06.16", "stop() should return once the interrupted jobs have ended",
                    stop);
            assertThat(probe.running()).as("[06.16] stop() returned while %d jobs were still running (README 06.16)",
                    probe.running()).isZero();
            assertNothingLeased("once stop() has returned, the 2 interrupted and the 4 buffered jobs released:");
            assertThat(stopped).as("[06.16] stop() should report 6 jobs released (2 interrupted, 4 never started) "
                    + "and that the deadline passed (README 06.16)").isEqualTo(new Stopped(6, false));
            assertNoLeaseAfterStop(leasedBeforeStop);
        }

        @Test
        @DisplayName("close stops at once: the jobs in flight are interrupted, waited for and released")
        void closeStopsAtOnce() throws Exception {
            probe.letInterruptedEnd();
            startBusy();
            Background<Void> close = Background.run("[06.16] close()", processor::close);
            awaitWatching("06.16", "close() should stop the processor at once (stop with a deadline of zero)", close);
            assertThat(probe.running()).as("[06.16] close() returned while %d jobs were still running (README 06.16)",
                    probe.running()).isZero();
            assertThat(probe.interrupted()).as("[06.16] close() should interrupt the 2 jobs in flight (README 06.16)")
                    .hasSize(2);
            assertNothingLeased("once close() has returned,");
            int released = queue.released().size();
            processor.stop(Duration.ZERO);
            processor.close();
            assertThat(queue.released()).as("[06.16] a stop after close() should have nothing left to do: it "
                    + "released jobs again (README 06.16)").hasSize(released);
            assertThat(queue.anomalies()).as("[06.16] what the queue would refuse (README 06.16)").isEmpty();
        }
    }

    @Test
    @DisplayName("a processor stopped before it started has nothing to release")
    void stopBeforeStart() throws Exception {
        queue.add("job", 3);
        assertThat(processor.stop(Duration.ZERO)).as("[06.16] stop() of a processor never started (README 06.16)")
                .isEqualTo(new Stopped(0, true));
        assertThat(queue.leaseCalls()).as("[06.16] a processor never started leases nothing (README 06.16)").isZero();
    }
}
