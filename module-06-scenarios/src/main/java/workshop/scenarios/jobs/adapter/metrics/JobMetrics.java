package workshop.scenarios.jobs.adapter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import workshop.scenarios.jobs.application.ExternalApi;
import workshop.scenarios.jobs.application.JobQueue;
import workshop.scenarios.jobs.application.JobWorker;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The job processor's metrics (the seed's list: jobs in flight, queue depth, processing time, outcomes), recorded by
 * decorators of its ports into a Micrometer registry that {@code Main} owns and serves at {@code GET /metrics}:
 *
 * <pre>
 * jobs_in_flight                         gauge: jobs a worker is handling now
 * jobs_queue_depth                       gauge: jobs ready in the queue (read at each scrape)
 * jobs_processing_seconds{le}            histogram: one worker's handling of one job, end to end
 * jobs_outcomes_total{outcome}           done | retried | dead | cancelled (interrupted) | error (the queue failed)
 * jobs_api_seconds{outcome,le}           histogram of the external API's calls: ok | failed | cancelled
 * </pre>
 *
 * Go: {@code promauto.NewGaugeFunc}, {@code NewHistogram}, {@code NewCounterVec} with a label of few values. Labels
 * never name a job: one series per job would grow the registry without bound (the seed's cardinality warning).
 *
 * <p>Thread-safe: every meter is registered in the constructor; the decorators only record.
 */
public final class JobMetrics {

    public static final String IN_FLIGHT = "jobs.in.flight";
    public static final String QUEUE_DEPTH = "jobs.queue.depth";
    public static final String PROCESSING = "jobs.processing";
    public static final String OUTCOMES = "jobs.outcomes";
    public static final String API = "jobs.api";
    public static final String OUTCOME = "outcome";

    /** How a job's handling ends, as {@code jobs_outcomes_total} labels it. */
    public static final List<String> JOB_OUTCOMES = List.of("done", "retried", "dead", "cancelled", "error");

    /** How a call of the external API ends. */
    public static final List<String> API_OUTCOMES = List.of("ok", "failed", "cancelled");

    /** The histograms' bucket bounds: around the API's 50 to 500 ms, and the retries' backoff. */
    public static final List<Duration> BUCKETS = List.of(Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer processing;
    private final Map<String, Counter> outcomes;
    private final Map<String, Timer> api;

    /** Registers every meter in {@code registry}. */
    public JobMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("jobs a worker is handling now").register(registry);
        Duration[] buckets = BUCKETS.toArray(Duration[]::new);
        processing = Timer.builder(PROCESSING).description("one worker's handling of one job")
                .serviceLevelObjectives(buckets).register(registry);
        outcomes = JOB_OUTCOMES.stream().collect(Collectors.toUnmodifiableMap(o -> o,
                o -> Counter.builder(OUTCOMES).description("how jobs' handling ended").tag(OUTCOME, o)
                        .register(registry)));
        api = API_OUTCOMES.stream().collect(Collectors.toUnmodifiableMap(o -> o,
                o -> Timer.builder(API).description("calls of the external API").tag(OUTCOME, o)
                        .serviceLevelObjectives(buckets).register(registry)));
    }

    /** Registers {@code jobs_queue_depth}, read from {@code depth} at each scrape (the queue's {@code depth()}). */
    public void queueDepth(IntSupplier depth) {
        Objects.requireNonNull(depth, "depth");
        Gauge.builder(QUEUE_DEPTH, depth, IntSupplier::getAsInt)
                .description("jobs ready in the queue").register(registry);
    }

    /** {@code worker}, counted in {@code jobs_in_flight}, timed in {@code jobs_processing_seconds}. */
    public JobWorker worker(JobWorker worker) {
        Objects.requireNonNull(worker, "worker");
        return job -> {
            long start = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                worker.handle(job);
            } catch (InterruptedException e) {
                outcomes.get("cancelled").increment();
                throw e;
            } catch (RuntimeException | Error e) {
                outcomes.get("error").increment();
                throw e;
            } finally {
                inFlight.decrementAndGet();
                processing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    /** {@code queue}, with each recorded outcome counted in {@code jobs_outcomes_total}. */
    public JobQueue queue(JobQueue queue) {
        Objects.requireNonNull(queue, "queue");
        return new JobQueue() {
            @Override
            public List<Job> lease(int max, Duration visibility) {
                return queue.lease(max, visibility);
            }

            @Override
            public void complete(JobResult result) {
                queue.complete(result);
                outcomes.get("done").increment();
            }

            @Override
            public void retryLater(JobId id, Duration delay, String error) {
                queue.retryLater(id, delay, error);
                outcomes.get("retried").increment();
            }

            @Override
            public void deadLetter(JobId id, String error) {
                queue.deadLetter(id, error);
                outcomes.get("dead").increment();
            }

            @Override
            public void release(Collection<JobId> ids) {
                queue.release(ids);
            }

            @Override
            public int depth() {
                return queue.depth();
            }
        };
    }

    /** {@code api}, each call timed in {@code jobs_api_seconds} by how it ended. */
    public ExternalApi api(ExternalApi api) {
        Objects.requireNonNull(api, "api");
        return job -> {
            long start = System.nanoTime();
            String outcome = "failed";
            try {
                JobResult result = api.process(job);
                outcome = "ok";
                return result;
            } catch (InterruptedException e) {
                outcome = "cancelled";
                throw e;
            } finally {
                this.api.get(outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    /** How many jobs ended with {@code outcome} (one of {@link #JOB_OUTCOMES}) in this process so far. */
    public long count(String outcome) {
        Counter counter = outcomes.get(outcome);
        if (counter == null) {
            throw new IllegalArgumentException("not an outcome: " + outcome + " (" + JOB_OUTCOMES + ")");
        }
        return (long) counter.count();
    }

    /** How many jobs a worker is handling now. */
    public int inFlight() {
        return inFlight.get();
    }
}
