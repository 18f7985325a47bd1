package workshop.scenarios.jobs.adapter.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.jobs.application.ApiException;
import workshop.scenarios.jobs.application.ExternalApi;
import workshop.scenarios.jobs.application.JobQueue;
import workshop.scenarios.jobs.application.JobWorker;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metrics decorators and /metrics (given code): what each records, and the text Prometheus scrapes. */
@Tag("machinery")
@DisplayName("The job processor's metrics")
class JobMetricsTest {

    private static final Job JOB = new Job(new JobId("j-1"), "p", 0);

    /** A queue that records nothing and holds 7 ready jobs. */
    private static final JobQueue QUEUE = new JobQueue() {
        @Override
        public List<Job> lease(int max, Duration visibility) {
            return List.of();
        }

        @Override
        public void complete(JobResult result) {
        }

        @Override
        public void retryLater(JobId id, Duration delay, String error) {
        }

        @Override
        public void deadLetter(JobId id, String error) {
        }

        @Override
        public void release(Collection<JobId> ids) {
        }

        @Override
        public int depth() {
            return 7;
        }
    };

    @Test
    @DisplayName("outcomes, the API's calls, in-flight jobs and the depth reach the scrape, labelled by outcome only")
    void records() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            JobMetrics metrics = new JobMetrics(registry);
            JobQueue queue = metrics.queue(QUEUE);
            metrics.queueDepth(queue::depth);
            queue.complete(new JobResult(JOB.id(), "r"));
            queue.retryLater(JOB.id(), Duration.ZERO, "e");
            queue.retryLater(JOB.id(), Duration.ZERO, "e");
            queue.deadLetter(JOB.id(), "e");

            int[] seenInFlight = new int[1];
            JobWorker worker = metrics.worker(job -> seenInFlight[0] = metrics.inFlight());
            worker.handle(JOB);
            JobWorker interrupted = metrics.worker(job -> {
                throw new InterruptedException("stop");
            });
            assertThatThrownBy(() -> interrupted.handle(JOB)).isInstanceOf(InterruptedException.class);

            ExternalApi failing = metrics.api(job -> {
                throw new ApiException("status 503");
            });
            assertThatThrownBy(() -> failing.process(JOB)).isInstanceOf(ApiException.class);
            ExternalApi answering = metrics.api(job -> new JobResult(job.id(), "r"));
            answering.process(JOB);

            assertThat(seenInFlight[0]).isEqualTo(1);
            assertThat(metrics.inFlight()).isZero();
            assertThat(metrics.count("done")).isEqualTo(1);
            assertThat(metrics.count("retried")).isEqualTo(2);
            assertThat(metrics.count("dead")).isEqualTo(1);
            assertThat(metrics.count("cancelled")).isEqualTo(1);

            String scrape = registry.scrape();
            assertThat(scrape).contains("jobs_outcomes_total{outcome=\"retried\"} 2.0", "jobs_queue_depth 7.0",
                    "jobs_in_flight 0.0", "jobs_processing_seconds_bucket{le=\"0.5\"}",
                    "jobs_api_seconds_count{outcome=\"failed\"} 1", "jobs_api_seconds_count{outcome=\"ok\"} 1");
            assertThat(scrape).doesNotContain("j-1");

            try (MetricsEndpoint endpoint = MetricsEndpoint.start(0, registry::scrape);
                 HttpClient client = HttpClient.newHttpClient()) {
                assertThat(endpoint.uri().getHost()).isEqualTo("127.0.0.1");
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint.uri()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain"));
                assertThat(response.body()).contains("jobs_outcomes_total{outcome=\"done\"} 1.0");
                URI other = URI.create(endpoint.uri().toString().replace("/metrics", "/other"));
                assertThat(client.send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(404);
            }
        } finally {
            registry.close();
        }
    }
}
