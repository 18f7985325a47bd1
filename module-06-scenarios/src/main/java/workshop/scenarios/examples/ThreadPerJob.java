package workshop.scenarios.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The red flag "a thread per job", with threads that cost nothing: a burst of jobs against an API that allows a limited
 * number of concurrent calls and refuses the rest (HTTP 429). {@link #main} runs the same burst three ways and prints,
 * for each, the most calls attempted at once, the calls refused, the most jobs taken from the queue and not finished (each of
 * them a lease that ticks), and the longest a job waited between being taken and its call.
 */
public final class ThreadPerJob {

    private ThreadPerJob() {
    }

    /**
     * The API: {@code limit} calls at once, each taking {@code millis}; a call above the limit is refused after 1 ms
     * (a 429 still costs a round trip). {@code peak} counts the calls attempted at once, refused ones included.
     */
    static final class Api {
        final int limit;
        final long millis;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        Api(int limit, long millis) {
            this.limit = limit;
            this.millis = millis;
        }

        void call(int job) throws InterruptedException {
            int now = inFlight.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                if (now > limit) {
                    refused.incrementAndGet(); // 429: one more failure to retry later
                    Thread.sleep(1);
                    return;
                }
                Thread.sleep(millis);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** What the queue saw: jobs taken and not yet finished, and how long each waited before its call. */
    static final class Queue {
        final AtomicInteger taken = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peakOpen = new AtomicInteger();
        final AtomicLong longestWaitNanos = new AtomicLong();

        long take() {
            taken.incrementAndGet();
            peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            return System.nanoTime();
        }

        void started(long takenAt) {
            longestWaitNanos.accumulateAndGet(System.nanoTime() - takenAt, Math::max);
        }

        void finished() {
            open.decrementAndGet();
        }
    }

    @FunctionalInterface
    interface Design {
        void run(int jobs, Queue queue, Api api) throws InterruptedException;
    }

    // tag::thread-per-job[]
    /** A virtual thread per job: cheap, and nothing bounds the calls. */
    static void threadPerJob(int jobs, Queue queue, Api api) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int job = 0; job < jobs; job++) {
            long takenAt = queue.take();
            int id = job;
            threads.add(Thread.ofVirtual().start(() -> {
                queue.started(takenAt);
                try {
                    api.call(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    queue.finished();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** A virtual thread per job behind a semaphore: the calls are bounded, the jobs taken from the queue are not. */
    static void threadPerJobWithSemaphore(int jobs, Queue queue, Api api, int limit) throws InterruptedException {
        Semaphore permits = new Semaphore(limit);
        List<Thread> threads = new ArrayList<>();
        for (int job = 0; job < jobs; job++) {
            long takenAt = queue.take();
            int id = job;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    permits.acquire();          // waits here, its job taken, its lease ticking
                    try {
                        queue.started(takenAt);
                        api.call(id);
                    } finally {
                        permits.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    queue.finished();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }
    // end::thread-per-job[]

    /** A fixed set of workers over a small bounded buffer: the reader blocks while it is full (06.10 and 06.11). */
    static void fixedWorkers(int jobs, Queue queue, Api api, int workers) throws InterruptedException {
        record Taken(int id, long at) {
        }
        BlockingQueue<Taken> buffer = new ArrayBlockingQueue<>(2 * workers);
        Taken poison = new Taken(-1, 0);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (Taken t = buffer.take(); t != poison; t = buffer.take()) {
                        queue.started(t.at());
                        try {
                            api.call(t.id());
                        } finally {
                            queue.finished();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (int job = 0; job < jobs; job++) {
            buffer.put(new Taken(job, queue.take())); // blocks while the buffer is full: backpressure
        }
        for (int w = 0; w < workers; w++) {
            buffer.put(poison);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int jobs = 1_000;
        int limit = 100;
        long callMillis = 50;
        record Named(String name, Design design) {
        }
        List<Named> designs = List.of(
                new Named("a virtual thread per job", ThreadPerJob::threadPerJob),
                new Named("a virtual thread per job + Semaphore(100)",
                        (n, q, a) -> threadPerJobWithSemaphore(n, q, a, limit)),
                new Named("100 workers over ArrayBlockingQueue(200)", (n, q, a) -> fixedWorkers(n, q, a, limit)));
        System.out.printf("%d jobs, an API that allows %d calls at once, %d ms a call%n", jobs, limit, callMillis);
        for (Named named : designs) {
            Api api = new Api(limit, callMillis);
            Queue queue = new Queue();
            long start = System.nanoTime();
            named.design().run(jobs, queue, api);
            System.out.printf("%-42s most calls at once %4d, refused %4d, most taken and unfinished %4d, "
                            + "longest wait after taken %4d ms, all done in %4d ms%n",
                    named.name(), api.peak.get(), api.refused.get(), queue.peakOpen.get(),
                    queue.longestWaitNanos.get() / 1_000_000, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
