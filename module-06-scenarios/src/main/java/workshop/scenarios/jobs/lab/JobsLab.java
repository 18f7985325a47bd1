package workshop.scenarios.jobs.lab;

import org.HdrHistogram.Histogram;
import workshop.scenarios.jobs.adapter.api.HttpExternalApi;
import workshop.scenarios.jobs.adapter.sqlite.SqliteJobQueue;
import workshop.scenarios.jobs.application.JobHandler;
import workshop.scenarios.jobs.application.JobProcessor;
import workshop.scenarios.jobs.application.JobQueue;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.jobs.domain.RetryPolicy;
import workshop.scenarios.jobs.downstreams.FakeApi;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Module 06 lab, the job processor: a burst of {@link #JOBS} jobs lands in the queue at once, and the whole processor
 * as {@code Main} wires it (an SQLite file, the HTTP client, {@link JobHandler} with {@link RetryPolicy#DEFAULT},
 * {@link JobProcessor}) works it off against the fake API (the seed's 50 to 500 ms per call, at most
 * {@value #API_LIMIT} calls at once, refused above with 429). One run per worker count ({@link #WORKERS}) and failure
 * rate ({@link #FAILURE_RATES}); per run: the throughput (jobs ended per second, burst to last job), p50 and p99 of a
 * done job's latency (enqueued to done, in an HdrHistogram), the jobs done and dead, the API's peak of concurrent
 * calls and its 429s.
 *
 * <p>What to look for: throughput grows with the workers up to the API's limit (Little's law: 100 calls in flight
 * at 275 ms each is about 360 jobs/s), and above the limit it does not: the extra workers' calls are refused, each
 * refusal is a failed attempt with a backoff, and three of them dead-letter a job that the API would have done.
 *
 * <p>Everything shares this machine's cores (the API, the clients, SQLite): only ratios carry over.
 * Environment: {@code JOBS_LAB_JOBS} (jobs per run), {@code JOBS_LAB_WORKERS} (e.g. {@code 10,100,200}),
 * {@code JOBS_LAB_FAILURES} (e.g. {@code 0,0.3}).
 */
public final class JobsLab {

    static final String REPRODUCE = "./mvnw -q -Plab,solutions -DskipTests verify -pl module-06-scenarios -am "
            + "-Dworkshop.lab.main=workshop.scenarios.jobs.lab.JobsLab";
    static final int JOBS = intFromEnv("JOBS_LAB_JOBS", 400);
    static final List<Integer> WORKERS = listFromEnv("JOBS_LAB_WORKERS", "10,50,100,200").stream()
            .map(Integer::parseInt).toList();
    static final List<Double> FAILURE_RATES = listFromEnv("JOBS_LAB_FAILURES", "0,0.1,0.3").stream()
            .map(Double::parseDouble).toList();
    static final int API_LIMIT = 100;
    /** A run that has not ended by then is reported as such. */
    static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    private JobsLab() {
    }

    /** One run's numbers. */
    record Row(int workers, double failureRate, double jobsPerSecond, double p50Millis, double p99Millis, int done,
               int dead, int peak, long refused, boolean ended) {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("jobs-lab");
        out.printf("jobs lab: %d jobs per run, API limit %d calls, 50-500 ms per call; %d cores; reproduce: %s%n",
                JOBS, API_LIMIT, Runtime.getRuntime().availableProcessors(), REPRODUCE);
        List<Row> rows = new ArrayList<>();
        try (SqliteJobQueue sqlite = SqliteJobQueue.open(dir.resolve("lab.db"), InstantSource.system())) {
            warmUp(sqlite);
            int run = 0;
            for (double failureRate : FAILURE_RATES) {
                for (int workers : WORKERS) {
                    Row row = run(sqlite, ++run, workers, failureRate);
                    rows.add(row);
                    out.println("  " + line(row));
                }
            }
        }
        out.println();
        out.println("| workers | API failures | jobs/s | p50 ms | p99 ms | done | dead | API peak | 429s |");
        out.println("|--------:|-------------:|-------:|-------:|-------:|-----:|-----:|---------:|-----:|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %d | %.0f%% | %.0f | %.0f | %.0f | %d | %d | %d | %d |%s%n", r.workers(),
                    100 * r.failureRate(), r.jobsPerSecond(), r.p50Millis(), r.p99Millis(), r.done(), r.dead(),
                    r.peak(), r.refused(), r.ended() ? "" : " (not ended within " + RUN_LIMIT.toSeconds() + " s)");
        }
    }

    /** A short run first, so that class loading and the JIT are not in the first row. */
    private static void warmUp(SqliteJobQueue sqlite) throws Exception {
        run(sqlite, 0, 50, 0.1, 100);
    }

    private static Row run(SqliteJobQueue sqlite, int run, int workers, double failureRate) throws Exception {
        return run(sqlite, run, workers, failureRate, JOBS);
    }

    private static Row run(SqliteJobQueue sqlite, int run, int workers, double failureRate, int jobs)
            throws Exception {
        FakeApi.Settings settings = FakeApi.Settings.DEFAULT.withFailureRate(failureRate).withLimit(API_LIMIT)
                .withSeed(run);
        try (FakeApi fake = FakeApi.start(settings);
             HttpExternalApi api = new HttpExternalApi(fake.uri(), HttpExternalApi.DEFAULT_TIMEOUT)) {
            Timed queue = new Timed(sqlite, jobs);
            JobHandler handler = new JobHandler(api, queue, RetryPolicy.DEFAULT,
                    () -> ThreadLocalRandom.current().nextDouble());
            JobProcessor processor = new JobProcessor(queue, handler, JobProcessor.Settings.of(workers));
            List<Job> burst = new ArrayList<>(jobs);
            for (int i = 1; i <= jobs; i++) {
                burst.add(new Job(new JobId("r" + run + "-j" + i), "payload " + i, 0));
            }
            long start = System.nanoTime();
            sqlite.enqueue(burst);
            queue.started(start);
            boolean ended;
            try (processor) {
                processor.start();
                ended = queue.ended.await(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
                processor.stop(Duration.ofSeconds(5));
            }
            double seconds = (queue.lastEnd - start) / 1e9;
            return new Row(workers, failureRate, (queue.done.get() + queue.dead.get()) / seconds,
                    queue.latency.getValueAtPercentile(50) / 1000.0, queue.latency.getValueAtPercentile(99) / 1000.0,
                    queue.done.get(), queue.dead.get(), fake.peak(), fake.counters().refused(), ended);
        }
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "workers %3d, failures %2.0f%%: %4.0f jobs/s, p50 %5.0f ms, p99 %5.0f ms, "
                        + "%d done, %d dead, API peak %d, %d refused%s", r.workers(), 100 * r.failureRate(),
                r.jobsPerSecond(), r.p50Millis(), r.p99Millis(), r.done(), r.dead(), r.peak(), r.refused(),
                r.ended() ? "" : " (NOT ENDED)");
    }

    /** The queue, with each job's end timed from the burst and counted. */
    private static final class Timed implements JobQueue {
        final JobQueue queue;
        final Histogram latency = new Histogram(3); // microseconds
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger dead = new AtomicInteger();
        final CountDownLatch ended;
        final Map<JobId, Boolean> seen = new ConcurrentHashMap<>();
        volatile long start;
        volatile long lastEnd;

        Timed(JobQueue queue, int jobs) {
            this.queue = queue;
            this.ended = new CountDownLatch(jobs);
        }

        void started(long nanos) {
            start = nanos;
            lastEnd = nanos;
        }

        private void end(JobId id) {
            if (seen.putIfAbsent(id, true) == null) {
                lastEnd = System.nanoTime();
                ended.countDown();
            }
        }

        @Override
        public List<Job> lease(int max, Duration visibility) {
            return queue.lease(max, visibility);
        }

        @Override
        public void complete(JobResult result) {
            queue.complete(result);
            long micros = (System.nanoTime() - start) / 1000;
            synchronized (latency) {
                latency.recordValue(micros);
            }
            done.incrementAndGet();
            end(result.id());
        }

        @Override
        public void retryLater(JobId id, Duration delay, String error) {
            queue.retryLater(id, delay, error);
        }

        @Override
        public void deadLetter(JobId id, String error) {
            queue.deadLetter(id, error);
            dead.incrementAndGet();
            end(id);
        }

        @Override
        public void release(Collection<JobId> ids) {
            queue.release(ids);
        }

        @Override
        public int depth() {
            return queue.depth();
        }
    }

    private static int intFromEnv(String name, int otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.strip());
    }

    private static List<String> listFromEnv(String name, String otherwise) {
        String value = System.getenv(name);
        return List.of((value == null || value.isBlank() ? otherwise : value).split(","));
    }
}
