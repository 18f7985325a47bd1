package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.rethrowFailures;

@Tag("03.1")
@DisplayName("03.1 Context: background")
class ContextBackgroundTest {

    @Test
    @DisplayName("background() is never done: no error, no deadline")
    void backgroundIsNeverDone() {
        Context background = Context.background();

        assertThat(background.err())
                .as("[03.1] err() of background() should be null (never done), but was %s: does a fresh root start "
                    + "with no error? (README 03.1)", background.err())
                .isNull();
        assertThat(background.deadline())
                .as("[03.1] background() has no deadline, so deadline() should be empty (README 03.1)")
                .isEmpty();
    }

    @Test
    @DisplayName("background(timer) is never done either, whatever its timer")
    void backgroundWithATimerIsNeverDone() {
        FakeTimer timer = new FakeTimer();
        Context background = Context.background(timer);

        timer.advance(java.time.Duration.ofDays(365));

        assertThat(background.err())
                .as("[03.1] a root is never done, even a year later on its timer, but err() was %s (README 03.1)",
                        background.err())
                .isNull();
        assertThat(background.deadline())
                .as("[03.1] a root has no deadline of its own, whatever its timer (README 03.1)")
                .isEmpty();
        assertThat(timer.scheduled())
                .as("[03.1] a root has nothing to wait for, so it should schedule nothing on its timer (README 03.1)")
                .isZero();
    }

    @Test
    @DisplayName("background(timer) keeps its timer, for the deadlines of the contexts below it")
    void backgroundKeepsItsTimer() {
        List<WeakReference<Timer>> timer = new ArrayList<>();
        Context root = rootOnATimerOnlyItHolds(timer);

        int kept = Reachability.survivors("03.1", timer);

        assertThat(kept)
                .as("[03.1] background(timer) did not keep its timer: the timer was garbage-collected while the root "
                    + "was still in use, so nothing in the root refers to it. The contexts below a root read now() "
                    + "and schedule their deadlines on the root's timer (03.3): keep the timer in the root "
                    + "(README 03.1)")
                .isEqualTo(1);
        Reference.reachabilityFence(root);
    }

    private static Context rootOnATimerOnlyItHolds(List<WeakReference<Timer>> timerRef) {
        FakeTimer timer = new FakeTimer();
        timerRef.add(new WeakReference<>(timer));
        return Context.background(timer);
    }

    @Test
    @DisplayName("gives the same answers to many threads at once")
    void sameAnswersFromManyThreads() throws Exception {
        Context background = Context.background();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> readers = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                readers.add(pool.submit(() -> {
                    start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    int wrong = 0;
                    for (int i = 0; i < 10_000; i++) {
                        if (background.err() != null || background.deadline().isPresent()) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            int wrong = 0;
            for (Future<Integer> reader : readers) {
                try {
                    wrong += reader.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    rethrowFailures(readers);
                }
            }
            assertThat(wrong)
                    .as("[03.1] 8 threads read err() and deadline() of one background context: expected null and "
                        + "empty every time, but %d answers differed (README 03.1)", wrong)
                    .isZero();
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
