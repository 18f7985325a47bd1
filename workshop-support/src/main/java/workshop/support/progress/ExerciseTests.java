package workshop.support.progress;

import org.junit.platform.engine.Filter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

/**
 * The test JVM of a learner's run ({@link LearnerRun} starts it): runs a module's exercise tests, records progress,
 * writes every failure in full to {@value #REPORT}, and tells its parent, one line per test class, what happened.
 *
 * <p>Usage: {@code ExerciseTests <test-classes folder> <tag expression or empty> <test class names or empty>}.
 */
public final class ExerciseTests {

    /** The file, in the build folder, that holds every failure of the latest run in full. */
    public static final String REPORT = "workshop-report.txt";

    /** Lines to the parent start with this; everything else the tests print is passed through. */
    public static final String PROTOCOL = "##workshop\t";

    private ExerciseTests() {
    }

    public static void main(String[] args) {
        Path testClasses = Path.of(args[0]);
        String groups = args.length > 1 ? args[1] : "";
        String classes = args.length > 2 ? args[2] : "";
        PrintStream toParent = System.out;
        int failed = run(testClasses, groups, classes, toParent);
        toParent.println(PROTOCOL + "done\t" + failed);
        toParent.flush();
        System.exit(0); // a learner's stuck or leaked threads must not keep this JVM alive
    }

    /**
     * Runs the selected tests of a test-classes folder, loaded through the thread's context class loader, records
     * progress, writes the report, and tells {@code toParent} about each class; returns how many tests failed.
     */
    public static int run(Path testClasses, String groups, String classes, PrintStream toParent) {
        LauncherDiscoveryRequestBuilder discovery = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(testClasses)))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true");
        List<Filter<?>> filters = new ArrayList<>();
        if (!groups.isBlank()) {
            filters.add(TagFilter.includeTags(Arrays.stream(groups.split(",")).map(String::strip).toList()));
        }
        if (!classes.isBlank()) {
            filters.add(includeClassNamePatterns(Arrays.stream(classes.split(","))
                    .map(name -> ".*\\b" + name.strip().replace(".", "\\.").replace("*", ".*") + "\\b.*")
                    .toArray(String[]::new)));
        }
        LauncherDiscoveryRequest request = discovery.filters(filters.toArray(Filter[]::new)).build();
        ProgressListener progress = new ProgressListener(false);
        Reporter reporter = new Reporter(toParent);
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(request, progress, reporter);
        reporter.writeReport(testClasses.getParent().resolve(REPORT));
        return reporter.failedTests;
    }

    /** Counts per top-level test class, tells the parent when each one is done, keeps every failure. */
    private static final class Reporter implements TestExecutionListener {
        private final PrintStream toParent;
        private final Map<String, long[]> countsByClass = new HashMap<>(); // passed, total, start nanos
        private final List<String> failures = new ArrayList<>();
        private TestPlan plan;
        private int failedTests;

        Reporter(PrintStream toParent) {
            this.toParent = toParent;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
            long tests = testPlan.countTestIdentifiers(TestIdentifier::isTest);
            toParent.println(PROTOCOL + "planned\t" + tests);
        }

        @Override
        public void executionStarted(TestIdentifier test) {
            if (isTopLevelClass(test)) {
                countsByClass.put(test.getUniqueId(), new long[]{0, 0, System.nanoTime()});
            }
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest()) {
                failures.add(path(test) + "\n  skipped: " + reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            if (!passed) {
                failures.add(path(test) + "\n" + result.getThrowable().map(ExerciseTests::fullText).orElse("aborted"));
            }
            if (test.isTest()) {
                topLevelClassOf(test).map(c -> countsByClass.get(c.getUniqueId())).ifPresent(counts -> {
                    counts[1]++;
                    counts[0] += passed ? 1 : 0;
                });
                failedTests += passed ? 0 : 1;
            }
            if (isTopLevelClass(test)) {
                long[] counts = countsByClass.getOrDefault(test.getUniqueId(), new long[]{0, 0, System.nanoTime()});
                String exercise = test.getTags().stream().map(TestTag::getName).filter(t -> t.matches("\\d\\d\\.\\d+"))
                        .findFirst().orElse("");
                String wholeClassFailure = passed ? "" : result.getThrowable().map(Failures::summary)
                        .map(s -> s.lines().findFirst().orElse("")).orElse("aborted");
                toParent.println(PROTOCOL + "class\t" + exercise + "\t" + test.getDisplayName() + "\t" + counts[0]
                        + "\t" + counts[1] + "\t" + (System.nanoTime() - counts[2]) / 1_000_000 + "\t"
                        + wholeClassFailure.replace('\t', ' '));
                toParent.flush();
            }
        }

        private boolean isTopLevelClass(TestIdentifier id) {
            return id.isContainer() && id.getSource().isPresent()
                    && plan.getParent(id).map(p -> p.getSource().isEmpty()).orElse(false);
        }

        private java.util.Optional<TestIdentifier> topLevelClassOf(TestIdentifier id) {
            for (java.util.Optional<TestIdentifier> t = java.util.Optional.of(id); t.isPresent(); t = plan.getParent(t.get())) {
                if (isTopLevelClass(t.get())) {
                    return t;
                }
            }
            return java.util.Optional.empty();
        }

        private String path(TestIdentifier test) {
            List<String> names = new ArrayList<>();
            for (java.util.Optional<TestIdentifier> t = java.util.Optional.of(test); t.isPresent(); t = plan.getParent(t.get())) {
                if (t.get().getSource().isPresent()) {
                    names.addFirst(t.get().getDisplayName());
                }
            }
            return String.join(" > ", names);
        }

        void writeReport(Path file) {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write(failures.isEmpty() ? "No test failed in the latest run.\n"
                        : failures.size() + (failures.size() == 1 ? " failure" : " failures")
                        + " in the latest run, in the order they happened.\n\n");
                for (String failure : failures) {
                    out.write(failure);
                    out.write("\n\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A throwable's message, its causes' and suppressed exceptions', with a few frames of each, as a report shows. */
    static String fullText(Throwable thrown) {
        StringBuilder out = new StringBuilder();
        append(thrown, out, "", java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out.toString();
    }

    private static void append(Throwable t, StringBuilder out, String prefix, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        out.append(prefix).append(t).append('\n');
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 8); i++) {
            out.append("        at ").append(frames[i]).append('\n');
        }
        for (Throwable suppressed : t.getSuppressed()) {
            append(suppressed, out, "  Suppressed: ", seen);
        }
        append(t.getCause(), out, "  Caused by: ", seen);
    }
}
