package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("01.8")
@DisplayName("01.8 CPU-bound work starves virtual threads")
class CpuBoundWorkTest {

    /** How long a virtual thread may wait for a carrier before the test calls it starved. */
    private static final Duration STARVED = Patience.seconds(2);

    /** The virtual-thread scheduler's parallelism: how many carrier threads there are. */
    private static int carriers() {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    }

    @Test
    @TimeLimit(seconds = 60)
    @DisplayName("keeps other virtual threads running while one CPU-bound job per core computes")
    void keepsOtherVirtualThreadsRunning() throws InterruptedException {
        int jobs = carriers();
        AtomicInteger computing = new AtomicInteger();
        AtomicBoolean heartbeatRan = new AtomicBoolean();
        AtomicLong heartbeatStartedAt = new AtomicLong();
        Callable<Boolean> cpuBound = () -> {
            computing.incrementAndGet();
            long sum = 0;
            // compute until the heartbeat ran, or until it has waited too long for a carrier
            while (!heartbeatRan.get()) {
                sum += Long.numberOfTrailingZeros(sum ^ System.nanoTime());
                long started = heartbeatStartedAt.get();
                if (started != 0 && System.nanoTime() - started > STARVED.toNanos()) {
                    break;
                }
            }
            return heartbeatRan.get() || sum < 0;
        };
        List<Callable<Boolean>> work = IntStream.range(0, jobs).mapToObj(i -> cpuBound).toList();

        Background<List<Boolean>> call = Background.call("[01.8] computeAll", () -> CpuBoundWork.computeAll(work));
        Thread heartbeat = null;
        try {
            await("every job computing").atMost(Patience.seconds(10)).pollInterval(Duration.ofMillis(5))
                    .untilAsserted(() -> {
                        call.rethrowIfFailed();
                        assertThat(computing.get())
                                .as("[01.8] jobs computing at once: expected %d (one per core), saw %d", jobs, computing.get())
                                .isEqualTo(jobs);
                    });
            Polling.assertWaitsWithoutPolling(call.thread(), "01.8", "computeAll");
            heartbeatStartedAt.set(System.nanoTime());
            heartbeat = Thread.ofVirtual().name("heartbeat").start(() -> heartbeatRan.set(true));

            List<Boolean> sawHeartbeat = call.await(Patience.seconds(30));

            assertThat(sawHeartbeat)
                    .as("[01.8] a virtual thread could not run for %d s while %d CPU-bound jobs held every carrier "
                        + "thread: virtual threads are not time-sliced. Run work that never blocks on platform threads "
                        + "(README 01.8)", STARVED.toSeconds(), jobs)
                    .hasSize(jobs)
                    .containsOnly(true);
        } finally {
            heartbeatRan.set(true);
            call.join(Patience.seconds(30));
            if (heartbeat != null) {
                heartbeat.join(Patience.seconds(30));
            }
        }
    }

    @Test
    @TimeLimit(seconds = 30)
    @DisplayName("computes every job on a platform thread, never on the calling thread, even when that is virtual")
    void computesEveryJobOnAPlatformThreadNeverOnTheCaller() throws Exception {
        int jobs = Math.max(2, carriers()) * 2;
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        List<Callable<Integer>> work = IntStream.range(0, jobs).<Callable<Integer>>mapToObj(i -> () -> {
            ranOn.add(Thread.currentThread());
            long sum = 0;
            for (int k = 0; k < 100_000; k++) {
                sum += Long.numberOfTrailingZeros(sum ^ k);
            }
            return sum < 0 ? -1 : i; // sum is never negative: this only keeps the loop from being optimized away
        }).toList();
        CompletableFuture<List<Integer>> results = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().name("[01.8] computeAll on a virtual thread").start(() -> {
            try {
                results.complete(CpuBoundWork.computeAll(work));
            } catch (Throwable t) {
                results.completeExceptionally(t);
            }
        });
        try {
            List<Integer> values = results.get(Patience.seconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(values)
                    .as("[01.8] results in the order of the jobs")
                    .containsExactlyElementsOf(IntStream.range(0, jobs).boxed().toList());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime; // not solved yet, or the learner's own exception
            }
            throw e;
        } finally {
            caller.join(Patience.seconds(20));
        }
        assertThat(ranOn)
                .as("[01.8] a job ran on the calling thread, a virtual thread here: a parallel stream, or a pool whose "
                    + "get() helps with the work, lets the caller compute, and a virtual caller then holds its carrier "
                    + "while it does. Compute on platform threads of a pool of your own; the caller only waits "
                    + "(README 01.8)")
                .doesNotContain(caller)
                .as("[01.8] jobs should run on platform threads, which the OS time-slices, not on virtual threads "
                    + "(README 01.8)")
                .noneMatch(Thread::isVirtual);
    }
}
