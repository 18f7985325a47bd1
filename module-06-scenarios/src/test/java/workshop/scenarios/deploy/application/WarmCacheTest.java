package workshop.scenarios.deploy.application;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.deploy.application.WarmCacheFakes.FakePause;
import workshop.scenarios.deploy.application.WarmCacheFakes.Source;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.scenarios.deploy.application.WarmCacheFakes.IDS;
import static workshop.scenarios.deploy.application.WarmCacheFakes.item;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.18")
@DisplayName("06.18 Warm before ready")
class WarmCacheTest {

    private static final Duration RETRY = Duration.ofMillis(1500);
    private static final Duration POLL = Duration.ofMillis(2);

    private final Source source = new Source();
    private FakePause pause = new FakePause(source, 10);
    private WarmCache cache = new WarmCache(source, pause, RETRY);

    @AfterEach
    void stopTheWarmUp() throws InterruptedException {
        source.release.countDown();
        Background<Void> closing = Background.run("[06.18] close() after the test", () -> {
            try {
                cache.close();
            } catch (NotSolvedYet e) {
                // the starter: nothing was started
            }
        });
        closing.join(PATIENCE);
    }

    /** Calls start() on a thread of the test's own, fails if it reads the source there, and waits for it to return. */
    private void start() throws InterruptedException {
        Background<Void> starting = Background.run("[06.18] start()", cache::start);
        await("[06.18] start() should return, or the source be read").atMost(PATIENCE).pollInterval(POLL).until(() -> {
            starting.rethrowIfFailed();
            return starting.isDone() || source.threads.contains(starting.thread());
        });
        assertThat(source.threads).as("[06.18] start() read the source on its caller's thread: that warms the cache "
                + "on the start path, so the process would answer /live only once warm (a synchronous cold "
                + "rebuild); start a thread that warms the cache, and return (README 06.18)")
                .doesNotContain(starting.thread());
        awaitWatching("06.18", "start() should return at once, while the warm-up goes on in the background",
                starting);
    }

    private void awaitHeld(String id) throws InterruptedException {
        assertThat(source.held.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("[06.18] after start() no "
                + "thread loaded item \"%s\" from the source within %d s; the source saw %s (README 06.18)", id,
                PATIENCE.toSeconds(), source.log).isTrue();
    }

    private void awaitReady(String why) {
        await("[06.18] " + why + "; the source saw " + source.log + " and the pauses were " + pause.pauses
                + " (README 06.18)").atMost(PATIENCE).pollInterval(POLL).until(cache::ready);
    }

    private void assertEveryItemFound() {
        for (String id : IDS) {
            Lookup lookup = cache.lookup(id);
            assertThat(lookup).as("[06.18] the warm cache should find item \"%s\", but it answered %s (README 06.18)",
                    id, lookup).isEqualTo(new Lookup.Found(item(id)));
        }
    }

    @Nested
    @DisplayName("while it warms")
    class Warming {

        @Test
        @DisplayName("start() returns at once, and a thread of the cache's own reads the source")
        void startReturnsAtOnce() throws InterruptedException {
            source.holdAt("a");
            start();
            awaitHeld("a");
            assertThat(cache.ready()).as("[06.18] ready() should be false while the first item is still loading "
                    + "(README 06.18)").isFalse();
        }

        @Test
        @DisplayName("a half-warm cache answers nothing: every lookup is NOT_READY, and none reads the source")
        void halfWarmAnswersNothing() throws InterruptedException {
            source.holdAt("c");
            start();
            awaitHeld("c");
            Lookup loaded = cache.lookup("a");
            Lookup notYet = cache.lookup("d");
            Lookup unknown = cache.lookup("zzz");
            boolean ready = cache.ready();

            assertThat(source.threads).as("[06.18] lookup() read the source on the request's thread: loading on a miss "
                    + "is a synchronous cold rebuild, each request paying the slow source's cost (and a cache that "
                    + "warms itself one request at a time); answer NOT_READY until the warm-up is done "
                    + "(README 06.18)").doesNotContain(Thread.currentThread());
            assertThat(source.loads.get()).as("[06.18] with a, b loaded and c loading the source should have been "
                    + "asked for 3 items; lookups must never read it (README 06.18)").isEqualTo(3);
            assertThat(ready).as("[06.18] ready() was true with 2 of 4 items loaded: it turns true only when "
                    + "every item is (README 06.18)").isFalse();
            assertThat(loaded).as("[06.18] while the cache warms (a and b loaded, c loading), lookup(\"a\") should be "
                    + "NOT_READY (503), but it was %s: a half-warm cache answers some requests and 404s others "
                    + "that exist; nothing is served before every item is loaded (README 06.18)", loaded)
                    .isEqualTo(Lookup.NOT_READY);
            assertThat(notYet).as("[06.18] while the cache warms, lookup(\"d\") (not loaded yet) should be NOT_READY "
                    + "(503), but it was %s (README 06.18)", notYet).isEqualTo(Lookup.NOT_READY);
            assertThat(unknown).as("[06.18] while the cache warms, lookup(\"zzz\") should be NOT_READY (503), but it "
                    + "was %s: a cold cache cannot know that an item does not exist (README 06.18)", unknown)
                    .isEqualTo(Lookup.NOT_READY);
        }

        @Test
        @DisplayName("awaitReady() parks until the cache is warm, then returns")
        void awaitReadyParks() throws InterruptedException {
            source.holdAt("b");
            start();
            awaitHeld("b");
            Background<Void> waiting = Background.run("[06.18] awaitReady()", cache::awaitReady);
            try {
                awaitWaiting(waiting, "06.18", "awaitReady() returned while the cache was still warming");
                source.release.countDown();
                awaitWatching("06.18", "awaitReady() should return once the cache is warm", waiting);
            } finally {
                waiting.thread().interrupt();
                waiting.join(PATIENCE);
            }
            assertThat(cache.ready()).as("[06.18] after awaitReady() returned, ready() should be true "
                    + "(README 06.18)").isTrue();
            Background<Void> again = Background.run("[06.18] awaitReady() when warm", cache::awaitReady);
            awaitWatching("06.18", "awaitReady() on a warm cache should return at once", again);
        }
    }

    @Nested
    @DisplayName("once every item is loaded")
    class Warm {

        @Test
        @DisplayName("it is ready, finds every item, knows unknown ids, and never reads the source again")
        void readyWhenEveryItemIsLoaded() throws InterruptedException {
            source.holdAt("d");
            start();
            awaitHeld("d");
            assertThat(cache.ready()).as("[06.18] ready() was true with 3 of 4 items loaded: it turns true only when "
                    + "every item is (README 06.18)").isFalse();
            source.release.countDown();
            awaitReady("the cache should turn ready once every item is loaded, but ready() stayed false");

            assertEveryItemFound();
            Lookup unknown = cache.lookup("zzz");
            assertThat(unknown).as("[06.18] the warm cache has no item \"zzz\": lookup should say Unknown (404), but "
                    + "it answered %s (README 06.18)", unknown).isEqualTo(new Lookup.Unknown("zzz"));
            assertThat(source.loads.get()).as("[06.18] the warm cache should answer from memory: the source was asked "
                    + "for %d items, 4 expected (README 06.18)", source.loads.get()).isEqualTo(IDS.size());
            cache.close();
            assertThat(cache.ready()).as("[06.18] closing a warm cache leaves it warm (README 06.18)").isTrue();
        }
    }

    @Nested
    @DisplayName("when the source fails")
    class Failing {

        @Test
        @DisplayName("a failed warm-up is tried again from scratch after the retry delay, and then turns ready")
        void retriedAfterThePause() throws InterruptedException {
            source.failing(1);
            start();
            awaitReady("after one failed warm-up (the source threw SourceUnavailable at item c) the cache should "
                    + "wait the retry delay, warm again and turn ready, but it is still not ready");
            List<String> log = source.log;
            assertThat(log).as("[06.18] the cache turned ready after a failed attempt without trying again (the "
                    + "source saw %s): an item is missing; a cache that has not loaded every item must never turn "
                    + "ready (README 06.18)", log).contains("attempt 2");
            assertThat(pause.pauses).as("[06.18] after the failed attempt the cache should wait the retry delay "
                    + "(%d ms) once through the Pause it was given, before it tries again; the source saw %s: a "
                    + "source that is down must not be hammered in a loop (README 06.18)", RETRY.toMillis(), log)
                    .containsExactly(RETRY);
            assertThat(log).as("[06.18] the order of the warm-up's steps: fail, wait, try again (README 06.18)")
                    .containsSubsequence("attempt 1 failed", "pause " + RETRY.toMillis() + " ms", "attempt 2");
            assertEveryItemFound();
        }

        @Test
        @DisplayName("a warm-up that never succeeds never turns ready, and close() stops it while it waits")
        void neverWarmNeverReady() throws InterruptedException {
            pause = new FakePause(source, 3); // the 4th pause waits until close() interrupts it
            cache = new WarmCache(source, pause, RETRY);
            source.failing(Integer.MAX_VALUE);
            start();
            await("[06.18] a source that fails every attempt: the cache should keep trying, with a pause after each "
                    + "failure; the source saw " + source.log + " (README 06.18)").atMost(PATIENCE).pollInterval(POLL)
                    .until(() -> pause.pauses.size() >= 4 || cache.ready());
            assertThat(cache.ready()).as("[06.18] the source failed every attempt (%s) and yet ready() is true: a "
                    + "cache that never warmed must never turn ready (README 06.18)", source.log).isFalse();
            Lookup lookup = cache.lookup("a");
            assertThat(lookup).as("[06.18] a cache that never warmed should answer NOT_READY, but it answered %s "
                    + "(README 06.18)", lookup).isEqualTo(Lookup.NOT_READY);
            List<Thread> warmers = source.warmers(Thread.currentThread());
            Background<Void> closing = Background.run("[06.18] close()", cache::close);
            awaitWatching("06.18", "close() should return once the warm-up has stopped, also while it waits between "
                    + "attempts: does close() interrupt the warm-up's thread?", closing);
            assertThat(warmers).as("[06.18] close() returned while the warm-up's thread still runs: it should wait "
                    + "for that thread to end (README 06.18)").noneMatch(Thread::isAlive);
        }
    }

    @Nested
    @DisplayName("close()")
    class Closing {

        @Test
        @DisplayName("interrupts a warm-up in progress and returns once its thread has ended")
        void stopsTheWarmUp() throws InterruptedException {
            source.holdAt("b");
            start();
            awaitHeld("b");
            List<Thread> warmers = source.warmers(Thread.currentThread());
            Background<Void> closing = Background.run("[06.18] close()", cache::close);
            awaitWatching("06.18", "close() should stop the warm-up and return: does it interrupt the warm-up's "
                    + "thread? Is the InterruptedException caught and tried again as if the source had failed?",
                    closing);
            assertThat(source.interrupted).as("[06.18] close() should interrupt the warm-up's thread, so that the "
                    + "source's load is abandoned (README 06.18)").isTrue();
            assertThat(warmers).as("[06.18] close() returned while the warm-up's thread still runs: it should wait "
                    + "for that thread to end (README 06.18)").noneMatch(Thread::isAlive);
            assertThat(cache.ready()).as("[06.18] a warm-up stopped half-way leaves the cache not ready "
                    + "(README 06.18)").isFalse();
            assertThat(source.log).as("[06.18] an interrupted warm-up is no failed attempt: it is not tried again "
                    + "(README 06.18)").containsExactly("attempt 1");
        }
    }
}
