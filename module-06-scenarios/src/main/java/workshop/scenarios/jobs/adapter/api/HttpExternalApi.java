package workshop.scenarios.jobs.adapter.api;

import workshop.scenarios.jobs.application.ApiException;
import workshop.scenarios.jobs.application.ExternalApi;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobResult;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The external API over HTTP: {@code POST base/jobs/{id}} with the job's payload as a UTF-8 text body; a {@code 2xx}
 * answer's body is the result, anything else a failed attempt. Every call of every worker goes through one
 * {@link HttpClient}, which keeps the connections open between calls (Go: one {@code http.Client} shared by every
 * worker, with {@code MaxIdleConnsPerHost} raised to the worker count). Every call has a time-out, so that a worker
 * is never held for ever by an API that does not answer.
 *
 * <p>Thread-safe: {@link #process} may be called by any number of workers at once. {@link #close()} closes the
 * client's connections and waits for calls in flight.
 */
public final class HttpExternalApi implements ExternalApi, AutoCloseable {

    /** The time-out of a call when none is given: the API's slowest answer (500 ms) with room to spare. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * A client of the API at {@code base}.
     *
     * @param base    the API's base URI, such as {@code http://127.0.0.1:8090}
     * @param timeout each call's time-out: positive
     */
    public HttpExternalApi(URI base, Duration timeout) {
        String text = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/"); // so that resolve() appends
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("the time-out must be positive: " + timeout);
        }
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /**
     * Sends {@code job} to the API and returns its answer. Blocks until the API answers, fails or the time-out
     * passes.
     *
     * @throws ApiException         on a status other than {@code 2xx} (the message names it and starts the body), a
     *                              time-out, or a connection that could not be made or broke
     * @throws InterruptedException if the calling thread is interrupted while it waits: the exchange is cancelled
     *                              ({@link HttpClient#send}'s contract), nothing of it runs on after this throws
     */
    @Override
    public JobResult process(Job job) throws ApiException, InterruptedException {
        Objects.requireNonNull(job, "job");
        HttpRequest request = HttpRequest.newBuilder(base.resolve("jobs/"
                        + URLEncoder.encode(job.id().value(), StandardCharsets.UTF_8)))
                .timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(job.payload(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) { // before IOException: it is one
            throw new ApiException("job " + job.id() + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new ApiException("job " + job.id() + ": the call failed: " + e, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new ApiException("job " + job.id() + ": status " + status + ": " + abbreviate(response.body()));
        }
        return new JobResult(job.id(), response.body());
    }

    private static String abbreviate(String body) {
        return body.length() <= 120 ? body : body.substring(0, 120) + "...";
    }

    /** Closes the client's connections and ends its threads; waits for calls in flight. Idempotent. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "HttpExternalApi[" + base + "jobs/, " + timeout.toMillis() + " ms]";
    }
}
