package workshop.scenarios.deploy.application;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.scenarios.deploy.application.RollingRestart.Deployed;
import workshop.scenarios.deploy.application.RollingRestart.Result;
import workshop.scenarios.deploy.application.RollingRestart.RolledBack;
import workshop.scenarios.deploy.application.RollingRestart.Settings;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.awaitParked;
import static workshop.support.testing.Parked.awaitWatching;

@Tag("06.20")
@DisplayName("06.20 Rolling restart, or roll back")
class RollingRestartTest {

    private static final Duration DEADLINE = Settings.DEFAULT.readyDeadline();
    private static final Duration INTERVAL = Settings.DEFAULT.probeInterval();
    private static final Duration GRACE = Settings.DEFAULT.terminationGrace();
    /** Not zero: nothing may assume that the clock starts at 0. */
    private static final long START = 987_654_321_000L;
    /** Fake time past which a wait for readiness is taken to be unbounded. */
    private static final Duration FOREVER = Duration.ofMinutes(10);
    private static final int NEVER = Integer.MAX_VALUE;

    private final FakeTicker ticker = new FakeTicker();
    private final FakePlatform platform = new FakePlatform();
    private final RollingRestart restart = new RollingRestart(platform, Settings.DEFAULT, ticker);
    private Background<Result> background;

    @AfterEach
    void stopTheBackgroundCall() throws InterruptedException {
        ticker.release();
        if (background != null) {
            background.thread().interrupt();
            background.join(Duration.ofSeconds(5));
        }
    }

    /** The only clock of the test: it moves when the rolling restart pauses on it, and can hold a pause. */
    private final class FakeTicker implements Ticker {
        final AtomicLong now = new AtomicLong(START);
        final List<Duration> pauses = new ArrayList<>();
        volatile boolean hold;
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            synchronized (pauses) {
                pauses.add(duration);
            }
            if (hold) {
                released.await();
                return;
            }
            if (elapsed().compareTo(FOREVER) > 0) {
                throw new AssertionError(String.format("[06.20] the rolling restart still waited for a new instance "
                        + "after %d minutes on the clock, with a deadline of %d s: is the wait for readiness bounded "
                        + "by the deadline? (README 06.20)", elapsed().toMinutes(), DEADLINE.toSeconds()));
            }
            now.addAndGet(duration.toNanos());
        }

        Duration elapsed() {
            return Duration.ofNanos(now.get() - START);
        }

        int pauseCount() {
            synchronized (pauses) {
                return pauses.size();
            }
        }

        void release() {
            released.countDown();
        }
    }

    /**
     * What the instances of a version (or one instance, by name) do: ready from their n-th probe on, exited from their
     * m-th probe on.
     */
    private record Script(int readyAtProbe, int exitAtProbe) {
    }

    /** Starts fake instances, scripted per version, and records what happens to every instance, in order. */
    private final class FakePlatform implements Platform {
        final Map<String, Script> scripts = new HashMap<>();
        final Map<String, AtomicInteger> started = new HashMap<>();
        final List<String> events = new ArrayList<>();
        final List<FakeInstance> instances = new ArrayList<>();
        int running;
        int peakRunning;

        @Override
        public synchronized Instance start(String version) {
            int n = started.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
            String name = version + "#" + n;
            Script script = scripts.getOrDefault(name, scripts.getOrDefault(version, new Script(1, NEVER)));
            FakeInstance instance = new FakeInstance(version, name, script);
            instances.add(instance);
            running++;
            peakRunning = Math.max(peakRunning, running);
            events.add("start " + instance.name);
            return instance;
        }

        synchronized void record(String event) {
            events.add(event);
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        synchronized void ended() {
            running--;
        }

        List<Instance> old(int count) {
            List<Instance> old = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                old.add(start("v1"));
            }
            synchronized (this) {
                events.clear();
                peakRunning = running;
            }
            return old;
        }
    }

    private final class FakeInstance implements Instance {
        final String version;
        final String name;
        final Script script;
        final AtomicInteger probes = new AtomicInteger();
        volatile boolean everReady;
        volatile boolean stopped;
        volatile int pausesAtLastProbe = -1;

        FakeInstance(String version, String name, Script script) {
            this.version = version;
            this.name = name;
            this.script = script;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean ready() {
            int probe = probes.incrementAndGet();
            int pauses = ticker.pauseCount();
            if (probe > 1 && pauses == pausesAtLastProbe) {
                throw new AssertionError(String.format("[06.20] %s was probed twice with no pause on the given "
                        + "ticker in between: probe every %d ms with ticker.sleep(...) (Thread.sleep cannot be "
                        + "faked; a loop without a pause spins) (README 06.20)", name, INTERVAL.toMillis()));
            }
            pausesAtLastProbe = pauses;
            boolean ready = !stopped && probe >= script.readyAtProbe && probe < script.exitAtProbe;
            everReady |= ready;
            platform.record("probe " + name + (ready ? " ready" : " not ready"));
            return ready;
        }

        @Override
        public boolean exited() {
            return stopped || probes.get() >= script.exitAtProbe;
        }

        @Override
        public void stop(Duration grace) {
            assertThat(grace).as("[06.20] %s was stopped with a grace period of %s, expected the settings' %s "
                    + "(README 06.20)", name, grace, GRACE).isEqualTo(GRACE);
            if (!stopped) {
                stopped = true;
                platform.ended();
            }
            platform.record("stopped " + name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static List<String> names(List<Instance> instances) {
        return instances.stream().map(Instance::name).toList();
    }

    private Result roll(List<Instance> running, String version) throws InterruptedException {
        return restart.roll(running, version);
    }

    @Nested
    @DisplayName("when the new version becomes ready")
    class Ready {

        @Test
        @DisplayName("every old instance is replaced by a ready new one, one at a time")
        void replacesEachOldInstance() throws InterruptedException {
            platform.scripts.put("v2", new Script(3, NEVER));
            List<Instance> old = platform.old(2);

            Result result = roll(old, "v2");

            assertThat(result).as("[06.20] a version whose instances become ready should be deployed, but roll "
                    + "returned %s (README 06.20)", result).isInstanceOf(Deployed.class);
            assertThat(names(result.serving())).as("[06.20] after the deploy the new instances should serve, each "
                    + "in the place of the old one it replaced (README 06.20)").containsExactly("v2#1", "v2#2");
            assertThat(platform.events()).as("[06.20] the rolling restart's steps, in order: start one, probe it "
                    + "until ready, stop an old one, then the next (README 06.20)").containsExactly(
                    "start v2#1", "probe v2#1 not ready", "probe v2#1 not ready", "probe v2#1 ready", "stopped v1#1",
                    "start v2#2", "probe v2#2 not ready", "probe v2#2 not ready", "probe v2#2 ready", "stopped v1#2");
        }

        @Test
        @DisplayName("an old instance is stopped only after its replacement has reported ready")
        void stopsTheOldOneOnlyAfterTheNewOneIsReady() throws InterruptedException {
            platform.scripts.put("v2", new Script(5, NEVER));
            List<Instance> old = platform.old(1);

            roll(old, "v2");

            List<String> events = platform.events();
            int stopped = events.indexOf("stopped v1#1");
            int ready = events.indexOf("probe v2#1 ready");
            assertThat(stopped).as("[06.20] the old instance v1#1 should be stopped once v2#1 is ready; "
                    + "the steps were %s (README 06.20)", events).isNotNegative();
            assertThat(ready >= 0 && ready < stopped).as("[06.20] v1#1 was stopped before its replacement v2#1 "
                    + "had reported ready (it becomes ready at its 5th probe; the steps were %s): while it warms, "
                    + "the service runs one instance short, and if it never warms, on none. Wait for a probe that "
                    + "says ready, not for a while (README 06.20)", events).isTrue();
        }

        @Test
        @DisplayName("at most one instance more than before runs, and never fewer ready ones (maxSurge 1, maxUnavailable 0)")
        void surgesByOne() throws InterruptedException {
            platform.scripts.put("v2", new Script(2, NEVER));
            List<Instance> old = platform.old(3);

            roll(old, "v2");

            assertThat(platform.peakRunning).as("[06.20] with 3 instances, at most 4 should run at once (one new "
                    + "at a time), saw %d; the steps were %s (README 06.20)", platform.peakRunning, platform.events())
                    .isLessThanOrEqualTo(4);
            List<String> events = platform.events();
            for (int i = 1; i <= 3; i++) {
                assertThat(events.indexOf("start v2#" + (i + 1)) < 0
                        || events.indexOf("stopped v1#" + i) < events.indexOf("start v2#" + (i + 1)))
                        .as("[06.20] v2#%d was started before v1#%d had been stopped: the next step begins when the "
                                + "last old instance has ended; the steps were %s (README 06.20)", i + 1, i, events)
                        .isTrue();
            }
        }

        @Test
        @DisplayName("a new instance is probed at the settings' interval, on the given ticker")
        void probesAtTheInterval() throws InterruptedException {
            platform.scripts.put("v2", new Script(4, NEVER));
            List<Instance> old = platform.old(1);

            roll(old, "v2");

            assertThat(ticker.pauses).as("[06.20] v2#1 became ready at its 4th probe: expected 3 pauses of %d ms "
                    + "on the given ticker between its probes, saw %s (README 06.20)", INTERVAL.toMillis(),
                    ticker.pauses).containsExactly(INTERVAL, INTERVAL, INTERVAL);
        }
    }

    @Nested
    @DisplayName("when the new version does not become ready")
    class NotReady {

        @Test
        @DisplayName("a version that never becomes ready is rolled back at the deadline, the old instances untouched")
        void rollsBackAtTheDeadline() throws InterruptedException {
            platform.scripts.put("v3", new Script(NEVER, NEVER));
            List<Instance> old = platform.old(2);

            Result result = roll(old, "v3");

            assertThat(result).as("[06.20] v3 never became ready: roll should return RolledBack, but it returned "
                    + "%s; the steps were %s (README 06.20)", result, platform.events()).isInstanceOf(RolledBack.class);
            assertThat(platform.events()).as("[06.20] no old instance may be stopped when the new version never "
                    + "becomes ready (README 06.20)").noneMatch(e -> e.startsWith("stopped v1"));
            FakeInstance candidate = platform.instances.get(2);
            assertThat(candidate.stopped).as("[06.20] the never-ready %s should be stopped when the deploy rolls "
                    + "back, not left running beside the old ones (README 06.20)", candidate.name).isTrue();
            assertThat(platform.started.get("v3").get()).as("[06.20] after the first new instance failed, no "
                    + "other should be started (README 06.20)").isEqualTo(1);
            assertThat(names(result.serving())).as("[06.20] after the roll-back the old instances serve on "
                    + "(README 06.20)").containsExactly("v1#1", "v1#2");
            assertThat(ticker.elapsed()).as("[06.20] the roll-back should come once the %d s deadline has passed, "
                    + "on the given ticker, and before one more probe interval: it came after %d ms (README 06.20)",
                    DEADLINE.toSeconds(), ticker.elapsed().toMillis())
                    .isBetween(DEADLINE, DEADLINE.plus(INTERVAL).minusNanos(1));
        }

        @Test
        @DisplayName("a new instance that exits is rolled back at once, before the deadline")
        void rollsBackWhenTheNewOneExits() throws InterruptedException {
            platform.scripts.put("v3", new Script(NEVER, 3));
            List<Instance> old = platform.old(1);

            Result result = roll(old, "v3");

            assertThat(result).as("[06.20] v3#1 exited: roll should return RolledBack, but it returned %s "
                    + "(README 06.20)", result).isInstanceOf(RolledBack.class);
            assertThat(ticker.elapsed()).as("[06.20] v3#1 exited at its 3rd probe, %d ms after its start: the "
                    + "roll-back should not wait for the deadline, it came after %d ms. Does the wait look at "
                    + "exited()? (README 06.20)", 2 * INTERVAL.toMillis(), ticker.elapsed().toMillis())
                    .isLessThanOrEqualTo(INTERVAL.multipliedBy(3));
            assertThat(platform.events()).as("[06.20] no old instance may be stopped when the new one exited "
                    + "(README 06.20)").noneMatch(e -> e.startsWith("stopped v1"));
        }

        @Test
        @DisplayName("a failure half-way stops the rollout there: the instances already replaced serve on")
        void stopsHalfWay() throws InterruptedException {
            platform.scripts.put("v3", new Script(2, NEVER));
            platform.scripts.put("v3#2", new Script(NEVER, NEVER));
            List<Instance> old = platform.old(2);

            Result result = roll(old, "v3");

            assertThat(result).as("[06.20] the second new instance never became ready: roll should return "
                    + "RolledBack, but it returned %s (README 06.20)", result).isInstanceOf(RolledBack.class);
            assertThat(names(result.serving())).as("[06.20] v3#1 replaced v1#1, v3#2 failed: v3#1 and v1#2 serve "
                    + "(README 06.20)").containsExactly("v3#1", "v1#2");
        }
    }

    @Nested
    @DisplayName("when interrupted")
    class Interrupted {

        @Test
        @DisplayName("a roll interrupted while it waits throws InterruptedException and stops the new instance")
        void interruptedWhileWaiting() throws InterruptedException {
            platform.scripts.put("v2", new Script(NEVER, NEVER));
            List<Instance> old = platform.old(1);
            ticker.hold = true;

            background = Background.call("[06.20] roll(...) of a version that is not ready yet", () -> roll(old, "v2"));
            awaitParked(background, "06.20", "roll(...) returned while v2#1 was not ready and the deadline was "
                    + "far: it should wait");
            background.thread().interrupt();

            Throwable thrown = null;
            try {
                awaitWatching("06.20", "an interrupted roll(...) should throw InterruptedException soon: is the "
                        + "interrupt swallowed?", background);
            } catch (Background.CallFailed failed) {
                thrown = failed.getCause();
            }
            assertThat(thrown).as("[06.20] an interrupted roll(...) should throw InterruptedException, it %s "
                    + "(README 06.20)", thrown == null ? "returned" : "threw " + thrown)
                    .isInstanceOf(InterruptedException.class);
            FakeInstance candidate = platform.instances.get(1);
            assertThat(candidate.stopped).as("[06.20] the interrupted roll(...) should stop %s, which had replaced "
                    + "nothing yet, before it throws (README 06.20)", candidate.name).isTrue();
            assertThat(platform.events()).as("[06.20] an interrupted roll(...) must leave the old instances "
                    + "running (README 06.20)").noneMatch(e -> e.startsWith("stopped v1"));
        }
    }
}
