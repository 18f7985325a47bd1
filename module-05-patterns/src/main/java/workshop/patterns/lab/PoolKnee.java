package workshop.patterns.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part 2 of {@link PatternsLab}: the throughput of a worker pool against its size, for an I/O-bound job, and where
 * adding workers stops helping (the knee).
 *
 * <p>The job: a small CPU part ({@value #CPU_STEPS} xorshift steps, a few tens of microseconds), then a call to a
 * {@link Downstream} that has {@value #DOWNSTREAM_CAPACITY} handlers, each taking {@link #DOWNSTREAM_LATENCY} to
 * answer; a request that finds every handler busy waits for one. The handlers are virtual threads that sleep, so the
 * downstream costs this machine no CPU while it "works"; the worker (a platform thread) waits for the answer, as it
 * would for a socket. The pool: {@code n} platform threads taking jobs from a bounded queue of {@value #QUEUE_CAPACITY}
 * (05.1's shape, written here so that the lab needs no solved exercise); the submitter waits while the queue is full.
 *
 * <p>Each pool size runs {@value #JOBS} jobs, from the first submit to the last job done, best of {@value #ROUNDS}
 * rounds (after one discarded warm-up round at size 16). Not JMH: the quantity is a wall time of hundreds of
 * milliseconds to seconds, set by the 20 ms waits; JMH's defences (against dead code, constant folding, a JIT that sees
 * one implementation, nanosecond timer granularity) address errors of nanoseconds, which are noise here. The lab also
 * measures each job's time and each request's wait for a handler, so that the table can be checked against Little's
 * law: jobs in flight = throughput x time per job.
 */
final class PoolKnee {

    static final int[] POOL_SIZES = {1, 2, 4, 8, 16, 32, 64};
    static final int JOBS = 320; // a multiple of every pool size: no partial last wave
    static final int ROUNDS = 3;
    static final int QUEUE_CAPACITY = 64;
    static final int DOWNSTREAM_CAPACITY = 16;
    static final Duration DOWNSTREAM_LATENCY = Duration.ofMillis(20);
    static final int CPU_STEPS = 20_000;
    static final Duration JOB_LIMIT = Duration.ofSeconds(30);
    static final double KNEE_GAIN = 1.10; // the knee: the first size whose doubling adds less than 10 %

    /** One pool size's best round, with that round's mean job time and mean wait for a handler. */
    record Row(int size, double jobsPerSecond, double[] rounds, double jobMillis, double handlerWaitMillis) {}

    /** A downstream service with a fixed number of handlers and a fixed service time. */
    static final class Downstream {
        private final Semaphore handlers = new Semaphore(DOWNSTREAM_CAPACITY, true); // FIFO, like an accept queue
        final AtomicLong waitNanos = new AtomicLong();

        /** Sends a request; the future completes when a handler has served it. */
        CompletableFuture<Void> call() {
            var reply = new CompletableFuture<Void>();
            long sent = System.nanoTime();
            Thread.ofVirtual().start(() -> {
                try {
                    handlers.acquire();
                    try {
                        waitNanos.addAndGet(System.nanoTime() - sent);
                        Thread.sleep(DOWNSTREAM_LATENCY);
                    } finally {
                        handlers.release();
                    }
                    reply.complete(null);
                } catch (Throwable t) {
                    reply.completeExceptionally(t);
                }
            });
            return reply;
        }
    }

    /** n platform threads over a bounded queue; {@link #close()} lets them finish the queue, then joins them. */
    static final class FixedPool implements AutoCloseable {
        private static final Runnable STOP = () -> {};
        private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private final List<Thread> workers = new ArrayList<>();

        FixedPool(int n) {
            for (int i = 0; i < n; i++) {
                workers.add(Thread.ofPlatform().daemon().name("knee-worker-" + i).start(() -> {
                    try {
                        for (Runnable job; (job = queue.take()) != STOP; ) job.run();
                    } catch (InterruptedException e) {
                        // close() gave up waiting: leave
                    }
                }));
            }
        }

        void submit(Runnable job) throws InterruptedException {
            queue.put(job); // waits while the queue is full: backpressure on the submitter
        }

        @Override
        public void close() throws InterruptedException {
            for (int i = 0; i < workers.size(); i++) queue.put(STOP);
            for (Thread w : workers) {
                if (!w.join(JOB_LIMIT)) w.interrupt();
            }
        }
    }

    static volatile long sink; // keeps the CPU part from being optimized away

    static long cpuPart(long seed) {
        long x = seed | 1;
        for (int i = 0; i < CPU_STEPS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** One round: {@link #JOBS} jobs on a pool of {@code size}; returns {jobs/s, mean job ms, mean handler wait ms}. */
    static double[] round(int size) throws Exception {
        var downstream = new Downstream();
        var done = new CountDownLatch(JOBS);
        var failures = new AtomicLong();
        var jobNanos = new AtomicLong();
        long t0;
        try (var pool = new FixedPool(size)) {
            t0 = System.nanoTime();
            for (int i = 0; i < JOBS; i++) {
                long seed = i;
                pool.submit(() -> {
                    long start = System.nanoTime();
                    try {
                        sink = cpuPart(seed);
                        downstream.call().get(JOB_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    } finally {
                        jobNanos.addAndGet(System.nanoTime() - start);
                        done.countDown();
                    }
                });
            }
            if (!done.await(2 * JOB_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("pool of " + size + ": jobs did not finish");
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9; // includes the pool's close: its workers are idle by then
        if (failures.get() > 0) throw new IllegalStateException(failures.get() + " jobs failed");
        return new double[] {JOBS / seconds, jobNanos.get() / 1e6 / JOBS, downstream.waitNanos.get() / 1e6 / JOBS};
    }

    static double cpuPartMicros() {
        long t0 = System.nanoTime();
        for (int i = 0; i < 2_000; i++) sink = cpuPart(i);
        return (System.nanoTime() - t0) / 1e3 / 2_000;
    }

    static double callMillis() throws Exception {
        var downstream = new Downstream();
        double[] xs = new double[20];
        for (int i = 0; i < xs.length; i++) {
            long t0 = System.nanoTime();
            downstream.call().get();
            xs[i] = (System.nanoTime() - t0) / 1e6;
        }
        return PatternsLab.median(xs);
    }

    static double cpuMicros, callMillis;

    static List<Row> measure(long labStart) throws Exception {
        System.out.printf("part 2, the worker pool's knee: %d jobs per pool size (%s), best of %d rounds"
                        + " (about 45 s)...%n", JOBS, sizes(), ROUNDS);
        round(16); // warm-up: JIT, virtual-thread scheduler
        cpuMicros = cpuPartMicros();
        callMillis = callMillis();
        System.out.printf("  the job's CPU part alone: %.1f %s; one call to an idle downstream: %.2f ms"
                + " (median of 20)%n", cpuMicros, PatternsLab.MICROS, callMillis);
        List<Row> rows = new ArrayList<>();
        for (int size : POOL_SIZES) {
            double[] best = null;
            double[] rates = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                double[] x = round(size);
                rates[r] = x[0];
                if (best == null || x[0] > best[0]) best = x;
            }
            rows.add(new Row(size, best[0], rates, best[1], best[2]));
            System.out.printf("  pool of %2d: %6.0f jobs/s (rounds %s), %5.1f s elapsed%n", size, best[0],
                    rounds(rates), (System.nanoTime() - labStart) / 1e9);
        }
        return rows;
    }

    static int knee(List<Row> rows) {
        for (int i = 0; i + 1 < rows.size(); i++) {
            if (rows.get(i + 1).jobsPerSecond() < KNEE_GAIN * rows.get(i).jobsPerSecond()) return rows.get(i).size();
        }
        return -1;
    }

    static void print(List<Row> rows) {
        int knee = knee(rows);
        double perCall = callMillis + cpuMicros / 1e3;
        System.out.printf("part 2, the worker pool's knee: %d jobs, each %.0f %s of CPU then a call to a downstream of"
                        + " %d handlers x %d ms%n", JOBS, cpuMicros, PatternsLab.MICROS, DOWNSTREAM_CAPACITY,
                DOWNSTREAM_LATENCY.toMillis());
        System.out.println("| pool size | jobs/s, best of " + ROUNDS + " | Little's law, jobs/s | ms per job"
                + " | ms of it waiting for a handler | workers busy |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            double predicted = Math.min(r.size(), DOWNSTREAM_CAPACITY) / (perCall / 1e3);
            System.out.printf("| %d | %.0f%s | %.0f | %.1f | %.1f | %.1f |%n", r.size(), r.jobsPerSecond(),
                    r.size() == knee ? " (knee)" : "", predicted, r.jobMillis(), r.handlerWaitMillis(),
                    r.jobsPerSecond() * r.jobMillis() / 1e3);
        }
        System.out.printf("knee: the first pool size whose doubling adds less than %.0f %% throughput: %s%n",
                (KNEE_GAIN - 1) * 100, knee < 0 ? "none within " + sizes() : Integer.toString(knee));
        System.out.printf("Little's law: min(pool size, %d handlers) / (%.2f ms per call + %.0f %s of CPU) = the"
                        + " throughput if workers never wait for a handler and never for CPU%n", DOWNSTREAM_CAPACITY,
                callMillis, cpuMicros, PatternsLab.MICROS);
        System.out.println("ms per job: mean over the best round's jobs (CPU part + call, the call including the wait"
                + " for a free handler); workers busy = jobs/s x ms per job / 1000 (Little's law read backwards)");
    }

    static String sizes() {
        var b = new StringBuilder();
        for (int s : POOL_SIZES) b.append(b.isEmpty() ? "" : ", ").append(s);
        return b.toString();
    }

    static String rounds(double[] xs) {
        var b = new StringBuilder();
        for (double x : xs) b.append(b.isEmpty() ? "" : ", ").append("%.0f".formatted(x));
        return b.toString();
    }

    private PoolKnee() {}
}
