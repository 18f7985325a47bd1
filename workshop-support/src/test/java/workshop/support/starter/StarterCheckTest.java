package workshop.support.starter;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;
import workshop.support.TimeLimit;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** Proves the starter check bites: it must accept the intended failures and flag every other outcome. */
@DisplayName("The starter check")
class StarterCheckTest {

    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static volatile boolean stopSpinning;

    @Tag("99.1")
    static class StarterFixture {
        @Test
        void stubSaysNotSolvedYet() {
            throw new NotSolvedYet("99.1");
        }

        @Test
        void stubFailsInsideAnotherThread() throws Exception {
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                executor.submit(() -> {
                    throw new NotSolvedYet("99.1");
                }).get();
            }
        }

        @Test
        void bugMakesAnAssertionFail() {
            assertThat(1 + 1).as("a buggy starter's result").isEqualTo(3);
        }

        @Test
        void passesOnTheStarter() {
            assertThat(true).isTrue();
        }

        @Test
        void failsForAnUnrelatedReason() {
            Object nothing = null;
            nothing.hashCode();
        }

        @Test
        @TimeLimit(seconds = 1)
        void hangsOnTheStarter() {
            while (!stopSpinning) {
                Thread.onSpinWait();
            }
        }

        @Test
        void passesButLeaks() {
            Thread.ofVirtual().start(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
        }

        @Test
        void leaksOnTopOfTheSignal() {
            Thread.ofVirtual().start(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
            throw new NotSolvedYet("99.1");
        }
    }

    @Tag("99.2")
    @Tag("leak")
    static class LeakExerciseFixture {
        @Test
        void leaksOnTheStarter() {
            Thread.ofVirtual().start(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
        }
    }

    @Tag(StarterVerdict.MACHINERY_TAG)
    static class MachineryFixture {
        @Test
        void machineryPassesOnTheStarter() {
        }

        @Test
        @Tag("99.9")
        void machineryOfAnExercisePassesOnTheStarter() {
        }

        @Test
        void machineryFailsOnTheStarter() {
            throw new NotSolvedYet("99.9");
        }
    }

    static class UntaggedFixture {
        @Test
        void belongsToNoExercise() {
            throw new NotSolvedYet("99.9");
        }
    }

    @Test
    @TimeLimit(seconds = 60)
    @DisplayName("accepts the not-solved-yet signal, assertions and a leak exercise's leak, and flags a pass, a "
                 + "time-out, an unrelated exception, a leak on top, a leak alone, a missing tag and a failing machinery test")
    void judgesEveryOutcome() {
        StarterCheck.Result result;
        try {
            result = StarterCheck.run("fixtures", request()
                    .selectors(selectClass(StarterFixture.class), selectClass(UntaggedFixture.class),
                            selectClass(LeakExerciseFixture.class), selectClass(MachineryFixture.class))
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                    .build());
        } finally {
            stopSpinning = true;
            RELEASE.countDown();
        }
        Map<String, String> verdicts = result.tests().stream().collect(Collectors.toMap(
                t -> t.test().replaceAll(".*> ", "").replace("()", ""),
                t -> t.defect().orElse("ok")));

        assertThat(verdicts).containsEntry("stubSaysNotSolvedYet", "ok")
                .containsEntry("leaksOnTheStarter", "ok")
                .containsEntry("stubFailsInsideAnotherThread", "ok")
                .containsEntry("bugMakesAnAssertionFail", "ok");
        assertThat(verdicts.get("passesOnTheStarter")).startsWith("PASSED on the starter");
        assertThat(verdicts.get("failsForAnUnrelatedReason")).contains("unrelated reason").contains("NullPointerException");
        assertThat(verdicts.get("hangsOnTheStarter")).contains("timed out");
        assertThat(verdicts.get("leaksOnTopOfTheSignal")).contains("leaks threads");
        assertThat(verdicts.get("passesButLeaks")).contains("only because of a thread leak");
        assertThat(verdicts.get("belongsToNoExercise")).contains("no exercise tag");
        assertThat(verdicts).as("a machinery test that passes on the starter").containsEntry("machineryPassesOnTheStarter", "ok")
                .containsEntry("machineryOfAnExercisePassesOnTheStarter", "ok");
        assertThat(verdicts.get("machineryFailsOnTheStarter")).contains("must pass on the starter too");
        assertThat(result.sound()).as("a module with these tests is not sound").isFalse();
        assertThat(result.report()).contains("STARTER CHECK FAILED");
    }

    @Test
    @DisplayName("calls a module sound when every test fails as intended")
    void callsASoundModuleSound() {
        StarterCheck.Result result = StarterCheck.run("fixtures", request()
                .selectors(selectClass(StarterFixture.class))
                .filters(org.junit.platform.launcher.MethodFilter.includeMethodNamePatterns(".*(stubSays|stubFails|bugMakes).*"))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build());

        assertThat(result.tests()).hasSize(3);
        assertThat(result.sound()).as("sound: %s", result.report()).isTrue();
        assertThat(result.report()).contains("STARTER CHECK PASSED");
    }
}
