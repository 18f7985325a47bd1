package workshop.goroutines;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Tasks that record how many of them run at once, and on which threads, and block until the test releases them. */
final class TaskProbe {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);

    List<Runnable> tasks(int n) {
        return IntStream.range(0, n).<Runnable>mapToObj(i -> this::runOne).toList();
    }

    private void runOne() {
        threads.add(Thread.currentThread());
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            finished.incrementAndGet();
        }
    }

    void release() {
        release.countDown();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    int finished() {
        return finished.get();
    }

    Set<Thread> threads() {
        return Set.copyOf(threads);
    }
}
