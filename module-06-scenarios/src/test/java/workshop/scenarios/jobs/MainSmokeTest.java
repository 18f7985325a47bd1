package workshop.scenarios.jobs;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.scenarios.testing.ChildJvm;
import workshop.support.TimeLimit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job processor, as {@code Main} wires it, in a child JVM: an SQLite file, the fake API in the process
 * (10% failures), 40 jobs, /metrics, then SIGTERM. A smoke test of the wiring, not of any one exercise: it needs
 * 06.10 to 06.16 solved.
 */
@Tag("06.16")
@DisplayName("06.16 Graceful shutdown")
class MainSmokeTest {

    private static final String NEEDS = "[06.16] the whole processor (jobs.Main) needs 06.10 to 06.16 solved";
    private static final Pattern READY = Pattern.compile(
            "jobs processor ready \\(workers=8, metrics (http://127\\.0\\.0\\.1:\\d+/metrics)\\)");
    private static final Pattern ALL_DONE = Pattern.compile("processed (\\d+) done, (\\d+) dead");

    @Test
    @TimeLimit(seconds = 60)
    @DisplayName("Main processes every job, serves /metrics, and on SIGTERM stops and exits 0")
    void processesServesAndStops(@TempDir Path dir) throws Exception {
        List<String> args = List.of("--db", dir.resolve("jobs.db").toString(), "--fake-api", "--enqueue", "40",
                "--workers", "8");
        try (ChildJvm main = ChildJvm.start("jobs Main", dir, List.of(), Main.class.getName(), args);
             HttpClient client = HttpClient.newHttpClient()) {
            Matcher ready = main.awaitLine(READY, Duration.ofSeconds(30));
            URI metrics = URI.create(ready.group(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int done = 0;
            int dead = 0;
            while (done + dead < 40 && System.nanoTime() < deadline) {
                Matcher m = ALL_DONE.matcher(main.output());
                while (m.find()) { // the last progress line counts
                    done = Integer.parseInt(m.group(1));
                    dead = Integer.parseInt(m.group(2));
                }
                assertThat(main.isAlive()).as("%s; %s", NEEDS, main.describe()).isTrue();
                Thread.sleep(50); // another process: its output is all there is to wait on
            }
            assertThat(done + dead).as("%s: all 40 jobs should end done or dead within 30 s; %s", NEEDS,
                    main.describe()).isEqualTo(40);
            assertThat(dead).as("with 10%% failures and 3 attempts few jobs die").isLessThanOrEqualTo(2);

            HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("jobs_outcomes_total{outcome=\"done\"} " + done + ".0",
                    "jobs_queue_depth", "jobs_in_flight", "jobs_processing_seconds_bucket");

            main.terminate();
            assertThat(main.awaitExit(Duration.ofSeconds(20))).as("%s: after SIGTERM Main should stop the pool (10 s "
                    + "deadline) and exit 0; %s", NEEDS, main.describe()).contains(0);
            assertThat(main.output()).contains("jobs processor stopped");
        }
    }
}
