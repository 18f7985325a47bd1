package workshop.scenarios.jobs.adapter.api;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.jobs.application.ApiException;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;
import workshop.scenarios.jobs.downstreams.FakeApi;
import workshop.support.testing.Background;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitParked;

/** The external API's HTTP adapter (given code), against the fake API over real HTTP on loopback. */
@Tag("machinery")
@DisplayName("The external API over HTTP")
class HttpExternalApiTest {

    private static final Duration QUICK = Duration.ofMillis(1);

    private static Job job(String id) {
        return new Job(new JobId(id), "payload of " + id, 0);
    }

    @Test
    @DisplayName("a 200 is the job's result")
    void answer() throws Exception {
        try (FakeApi fake = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(QUICK, QUICK));
             HttpExternalApi api = new HttpExternalApi(fake.uri(), Duration.ofSeconds(5))) {
            assertThat(api.process(job("j-1"))).isEqualTo(new JobResult(new JobId("j-1"), "processed payload of j-1"));
        }
    }

    @Test
    @DisplayName("a 503 and a 429 are ApiExceptions that name the status")
    void failures() throws Exception {
        try (FakeApi fake = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(QUICK, QUICK).withFailureRate(1.0));
             HttpExternalApi api = new HttpExternalApi(fake.uri(), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> api.process(job("j-2"))).isInstanceOf(ApiException.class)
                    .hasMessageContaining("status 503");
        }
        Duration slow = Duration.ofSeconds(1);
        try (FakeApi fake = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(slow, slow).withLimit(1));
             HttpExternalApi api = new HttpExternalApi(fake.uri(), Duration.ofSeconds(5))) {
            Background<JobResult> first = Background.call("the first call", () -> api.process(job("j-3")));
            org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> fake.counters().inFlight() == 1);
            assertThatThrownBy(() -> api.process(job("j-4"))).isInstanceOf(ApiException.class)
                    .hasMessageContaining("status 429");
            assertThat(first.await(PATIENCE).value()).isEqualTo("processed payload of j-3");
        }
    }

    @Test
    @DisplayName("no answer within the time-out is an ApiException")
    void timeout() throws Exception {
        Duration slow = Duration.ofSeconds(30);
        try (FakeApi fake = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(slow, slow));
             HttpExternalApi api = new HttpExternalApi(fake.uri(), Duration.ofMillis(200))) {
            assertThatThrownBy(() -> api.process(job("j-5"))).isInstanceOf(ApiException.class)
                    .hasMessageContaining("no answer within 200 ms");
        }
    }

    @Test
    @DisplayName("an interrupted caller gets InterruptedException at once")
    void interrupted() throws Exception {
        Duration slow = Duration.ofSeconds(30);
        try (FakeApi fake = FakeApi.start(FakeApi.Settings.DEFAULT.withLatency(slow, slow));
             HttpExternalApi api = new HttpExternalApi(fake.uri(), Duration.ofSeconds(60))) {
            Background<JobResult> call = Background.call("the call", () -> api.process(job("j-6")));
            awaitParked(call, "machinery", "process() returned although the API had not answered");
            call.thread().interrupt();
            call.join(PATIENCE);
            assertThat(call.isDone()).isTrue();
            assertThatThrownBy(() -> call.await(PATIENCE)).hasCauseInstanceOf(InterruptedException.class);
        }
    }
}
