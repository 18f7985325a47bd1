package workshop.support.starter;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;
import workshop.support.testing.Patience;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * The starter check: runs every test of a module against its starters and fails unless every exercise test fails,
 * fast, for the intended reason ({@link StarterVerdict}). A test without an exercise tag, a test that never ran, and
 * a container (test class) that failed on its own count as defects too. A test tagged
 * {@value StarterVerdict#MACHINERY_TAG} must pass on the starter, with an exercise tag or without: a module's own tools,
 * or a check that an exercise's code keeps working while the learner changes its shape (06.1).
 *
 * <p>Usage: {@code StarterCheck <test-classes folder>}; exits 0 when the starters are sound, 1 otherwise.
 */
public final class StarterCheck {

    private StarterCheck() {
    }

    public static void main(String[] args) {
        Path testClasses = Path.of(args[0]).toAbsolutePath();
        Result result = run(testClasses);
        System.out.println(result.report());
        System.exit(result.sound() ? 0 : 1);
    }

    /** Runs the tests below a test-classes folder and judges each one. */
    public static Result run(Path testClasses) {
        if (!Files.isDirectory(testClasses)) {
            return new Result(testClasses.toString(), List.of(), List.of("no compiled tests in " + testClasses));
        }
        LauncherDiscoveryRequest discovery = request()
                .selectors(selectClasspathRoots(Set.of(testClasses)))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
        return run(testClasses.toString(), discovery);
    }

    /** Runs what a discovery request selects and judges each test; for the support module's own tests too. */
    public static Result run(String name, LauncherDiscoveryRequest discovery) {
        Recorder recorder = new Recorder();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(discovery, recorder);
        return recorder.result(name);
    }

    /** One test's outcome on the starter, and what is wrong with it, if anything. */
    public record Judged(String exercise, String test, Duration duration, Optional<String> defect) {
    }

    /** The check's outcome for one module. */
    public record Result(String name, List<Judged> tests, List<String> otherDefects) {

        public boolean sound() {
            return !tests.isEmpty() && otherDefects.isEmpty() && tests.stream().allMatch(t -> t.defect().isEmpty());
        }

        public String report() {
            StringBuilder out = new StringBuilder("\nStarter check of ").append(name).append('\n');
            Duration slowest = Duration.ZERO;
            long machinery = tests.stream().filter(t -> t.exercise().equals(StarterVerdict.MACHINERY_TAG)).count();
            for (Judged t : tests) {
                if (!t.exercise().equals(StarterVerdict.MACHINERY_TAG)) {
                    slowest = t.duration().compareTo(slowest) > 0 ? t.duration() : slowest;
                }
                out.append(String.format("  %-7s %-5s %5d ms  %s%n", t.defect().isEmpty() ? "ok" : "DEFECT",
                        t.exercise(), t.duration().toMillis(), t.test()));
                t.defect().ifPresent(d -> out.append("                         -> ").append(d).append('\n'));
            }
            otherDefects.forEach(d -> out.append("  DEFECT  ").append(d).append('\n'));
            long defects = tests.stream().filter(t -> t.defect().isPresent()).count() + otherDefects.size();
            if (tests.isEmpty()) {
                out.append("  DEFECT  no exercise test was found\n");
            }
            out.append(String.format("%s: %d exercise tests%s, %d defects, slowest failure %d ms%n",
                    sound() ? "STARTER CHECK PASSED" : "STARTER CHECK FAILED", tests.size() - machinery,
                    machinery == 0 ? "" : " (and " + machinery + " tests of the module's machinery, which pass)",
                    defects, slowest.toMillis()));
            return out.toString();
        }
    }

    private static final class Recorder implements TestExecutionListener {
        private final Map<String, Long> started = new LinkedHashMap<>();
        private final Map<String, TestIdentifier> tests = new LinkedHashMap<>();
        private final List<Judged> judged = new ArrayList<>();
        private final List<String> otherDefects = new ArrayList<>();
        private TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
            collect(testPlan.getRoots());
        }

        private void collect(Set<TestIdentifier> identifiers) {
            for (TestIdentifier id : identifiers) {
                if (id.isTest()) {
                    tests.put(id.getUniqueId(), id);
                }
                collect(plan.getChildren(id));
            }
        }

        @Override
        public void executionStarted(TestIdentifier test) {
            started.put(test.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest()) {
                judged.add(new Judged(exerciseOf(test), name(test), Duration.ZERO,
                        Optional.of("skipped on the starter (" + reason + "): every exercise test must run")));
                tests.remove(test.getUniqueId());
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            Duration took = Duration.ofNanos(System.nanoTime() - started.getOrDefault(test.getUniqueId(), System.nanoTime()));
            if (!test.isTest()) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && test.getSource().isPresent()) {
                    otherDefects.add(name(test) + " failed as a whole: " + result.getThrowable().map(Throwable::toString).orElse("?"));
                }
                return;
            }
            tests.remove(test.getUniqueId());
            String exercise = exerciseOf(test);
            Optional<String> defect;
            if (test.getTags().contains(TestTag.create(StarterVerdict.MACHINERY_TAG))) {
                exercise = StarterVerdict.MACHINERY_TAG;
                defect = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? Optional.empty()
                        : Optional.of("a test of the module's own machinery (@Tag(\"" + StarterVerdict.MACHINERY_TAG
                        + "\")) must pass on the starter too, and it failed: "
                        + result.getThrowable().map(Throwable::toString).orElse("aborted"));
            } else if (exercise.isEmpty()) {
                defect = Optional.of("has no exercise tag (@Tag(\"MM.N\")): every test of an exercise module belongs to an exercise");
            } else if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                defect = Optional.of("aborted on the starter: " + result.getThrowable().map(Throwable::toString).orElse("?"));
            } else {
                defect = StarterVerdict.judge(result.getThrowable(), took,
                        Patience.scaled(StarterVerdict.FAST_ENOUGH),
                        test.getTags().contains(TestTag.create(StarterVerdict.LEAK_TAG)));
            }
            judged.add(new Judged(exercise, name(test), took, defect));
        }

        Result result(String name) {
            List<String> defects = new ArrayList<>(otherDefects);
            tests.values().forEach(t -> defects.add(name(t) + " never ran"));
            return new Result(name, List.copyOf(judged), defects);
        }

        private String name(TestIdentifier test) {
            List<String> names = new ArrayList<>();
            for (Optional<TestIdentifier> t = Optional.of(test); t.isPresent(); t = plan.getParent(t.get())) {
                if (t.get().getSource().isPresent()) {
                    names.addFirst(t.get().getDisplayName());
                }
            }
            return String.join(" > ", names);
        }

        private static String exerciseOf(TestIdentifier test) {
            return test.getTags().stream().map(TestTag::getName).filter(n -> n.matches("\\d\\d\\.\\d+"))
                    .findFirst().orElse("");
        }
    }
}
