package workshop.scenarios.deploy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.scenarios.deploy.domain.ServiceContract;
import workshop.scenarios.testing.ChildJvm;
import workshop.support.TimeLimit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real service ({@link Main}) in a child JVM, stopped with a real SIGTERM: warm before ready, and a shutdown that
 * loses no request. It needs 06.18 and 06.19 solved. Small timings through Main's options, generous enough for 2
 * cores under stress-ng: the cache warms in 6 s, a request works 6 s, so that the requests sent around the SIGTERM
 * are still in flight when the preStop delay (5 s) ends and the server stops accepting; the drain may take 10 s.
 */
@Tag("06.19")
@Tag("end-to-end") // a whole service in child JVMs: run by ./mvnw test, left out of each wrong answer's check
@DisplayName("06.19 SIGTERM: unready, wait, drain, exit")
class CatalogProcessTest {

    private static final String NEEDS = "[06.19] the service (Main, in a child JVM) needs 06.18 and 06.19 solved";
    private static final String VERSION = "v9";
    private static final Duration WARM_UP = Duration.ofMillis(6_000);
    private static final Duration PRE_STOP = Duration.ofMillis(5_000);
    private static final Duration DRAIN = Duration.ofMillis(10_000);
    private static final Duration WORK = Duration.ofMillis(6_000);
    private static final Duration MARGIN = Duration.ofSeconds(10);
    private static final Pattern LISTENING =
            Pattern.compile("catalog " + VERSION + " listening on (http://127\\.0\\.0\\.1:(\\d+))");

    private static HttpRequest get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build();
    }

    private static String version(HttpResponse<?> response) {
        return response.headers().firstValue(ServiceContract.VERSION_HEADER).orElse("(none)");
    }

    /** Whether a new TCP connection to the port is refused now (the listening socket is closed). */
    private static boolean refused(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    private static Matcher awaitLine(ChildJvm child, Pattern line, Duration timeout) throws InterruptedException {
        try {
            return child.awaitLine(line, timeout);
        } catch (AssertionError e) {
            throw new AssertionError((child.output().contains("NotSolvedYet") ? NEEDS + ": " : "[06.19] ")
                    + e.getMessage() + " (README 06.19)", e);
        }
    }

    @Test
    @SuppressWarnings("try") // ChildJvm.close() may throw InterruptedException: the test method declares it
    @TimeLimit(seconds = 90)
    @DisplayName("the real service: /live at once, /ready when warm, and on SIGTERM unready, serving on, drained, "
            + "exit 0")
    void warmsServesAndDrains(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.start("catalog " + VERSION, dir, List.of(), Main.class.getName(), List.of(
                "--port", "0", "--version", VERSION, "--warm-up-ms", String.valueOf(WARM_UP.toMillis()),
                "--pre-stop-ms", String.valueOf(PRE_STOP.toMillis()), "--drain-ms", String.valueOf(DRAIN.toMillis()),
                "--work-ms", String.valueOf(WORK.toMillis())));
             HttpClient client = HttpClient.newHttpClient()) {
            Matcher listening = awaitLine(child, LISTENING, Duration.ofSeconds(30));
            URI base = URI.create(listening.group(1));
            int port = Integer.parseInt(listening.group(2));

            // while the cache warms: alive, not ready, no answers
            HttpResponse<String> live = client.send(get(base, "/live"), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> coldReady = client.send(get(base, "/ready"), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> coldItem = client.send(get(base, "/items/item-1"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).as("[06.19] GET /live as soon as the service listens; %s (README 06.19)",
                    child.describe()).isEqualTo(200);
            assertThat(version(live)).as("[06.19] the %s header of /live (README 06.19)",
                    ServiceContract.VERSION_HEADER).isEqualTo(VERSION);
            assertThat(coldReady.statusCode()).as("[06.19] GET /ready while the cache warms (it takes %d ms) should "
                    + "be 503: is the cache warmed before the server starts (a synchronous cold rebuild)? %s "
                    + "(README 06.18)", WARM_UP.toMillis(), child.describe()).isEqualTo(503);
            assertThat(coldItem.statusCode()).as("[06.19] GET /items/item-1 while the cache warms should be 503, "
                    + "never an answer from a cold cache (README 06.18)").isEqualTo(503);

            awaitLine(child, Pattern.compile("catalog " + VERSION + " ready"), Duration.ofSeconds(30));
            HttpResponse<String> warmReady = client.send(get(base, "/ready"), HttpResponse.BodyHandlers.ofString());
            assertThat(warmReady.statusCode()).as("[06.19] GET /ready once the service said it is ready "
                    + "(README 06.18)").isEqualTo(200);

            // a slow request, then SIGTERM
            CompletableFuture<HttpResponse<String>> before = client.sendAsync(get(base, "/items/item-2"),
                    HttpResponse.BodyHandlers.ofString());
            long sigterm = System.nanoTime();
            child.terminate();

            await("[06.19] /ready should answer 503 right after SIGTERM (README 06.19)")
                    .atMost(PRE_STOP.dividedBy(2)).pollInterval(Duration.ofMillis(20)).until(() -> {
                        try {
                            return client.send(get(base, "/ready"), HttpResponse.BodyHandlers.discarding())
                                    .statusCode() == 503;
                        } catch (IOException e) {
                            throw new AssertionError("[06.19] GET /ready failed " + (System.nanoTime() - sigterm)
                                    / 1_000_000 + " ms after SIGTERM, within the preStop delay (" + PRE_STOP.toMillis()
                                    + " ms): the service should still serve then, but " + e + "; " + child.describe()
                                    + " (README 06.19)", e);
                        }
                    });
            long unready = System.nanoTime();
            // during the preStop delay the service still serves, on new connections too
            CompletableFuture<HttpResponse<String>> during = client.sendAsync(get(base, "/items/item-3"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unready - sigterm).as("[06.19] the check that /ready fails took longer than the preStop "
                    + "delay: the machine is too slow for this test's timings").isLessThan(PRE_STOP.toNanos());

            await("[06.19] once the preStop delay (" + PRE_STOP.toMillis() + " ms) has passed after SIGTERM, the "
                    + "service should stop accepting: a new connection should be refused (README 06.19)")
                    .atMost(PRE_STOP.plus(MARGIN)).pollInterval(Duration.ofMillis(20)).until(() -> refused(port));
            long refused = System.nanoTime();
            assertThat(Duration.ofNanos(refused - sigterm)).as("[06.19] a new connection was refused %d ms after "
                    + "SIGTERM, before the preStop delay (%d ms) had passed: the fronts' requests meanwhile are "
                    + "lost (README 06.19)", (refused - sigterm) / 1_000_000, PRE_STOP.toMillis())
                    .isGreaterThanOrEqualTo(PRE_STOP);

            for (var request : List.of(before, during)) {
                HttpResponse<String> answer = request.get(WORK.plus(DRAIN).plus(MARGIN).toMillis(),
                        TimeUnit.MILLISECONDS);
                assertThat(answer.statusCode()).as("[06.19] a request in flight when the server stopped accepting "
                        + "should be drained: answered 200, but it got %d %s; %s (README 06.19)",
                        answer.statusCode(), answer.body(), child.describe()).isEqualTo(200);
                assertThat(version(answer)).as("[06.19] the %s header (README 06.19)",
                        ServiceContract.VERSION_HEADER).isEqualTo(VERSION);
            }
            Optional<Integer> exit = child.awaitExit(PRE_STOP.plus(DRAIN).plus(MARGIN));
            assertThat(exit).as("[06.19] after SIGTERM the service should end within preStop + drain + %d s; %s "
                    + "(README 06.19)", MARGIN.toSeconds(), child.describe()).isPresent();
            assertThat(exit.get()).as("[06.19] the exit code after a clean SIGTERM should be 0 (143 is the JVM's "
                    + "default after SIGTERM: see the README on Runtime.halt in a shutdown hook); %s (README 06.19)",
                    child.describe()).isEqualTo(0);
            assertThat(child.output()).as("[06.19] the service should say it stopped (README 06.19)")
                    .contains("catalog " + VERSION + " stopped");
        }
    }
}
