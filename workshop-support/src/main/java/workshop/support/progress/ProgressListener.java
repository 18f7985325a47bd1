package workshop.support.progress;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import workshop.support.exercise.ExerciseCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * After every test run, records which tests of the module's exercises passed and prints the module's progress, the
 * next exercise to do, and the total across modules. An exercise is solved when every one of its tests (tagged with
 * its id) passed in the latest run that ran it. Registered through {@code META-INF/services}; Surefire and IDEs pick it
 * up. {@code -Dworkshop.progress=off} silences it.
 */
public final class ProgressListener implements TestExecutionListener {

    private final boolean print;
    private final Map<String, Boolean> passedByTest = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    private Path testClassesDirectory;
    private Progress written;

    /** Records and prints: the listener Surefire and IDEs find through {@code META-INF/services}. */
    public ProgressListener() {
        this(true);
    }

    /** Records, and prints the progress box only if {@code print}. */
    ProgressListener(boolean print) {
        this.print = print;
    }

    /** The progress this listener wrote at the end of the run, if it wrote any. */
    Progress written() {
        return written;
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        locate(test.getSource().orElse(null));
        // containers too: a test class that failed as a whole (its tests never ran) leaves its exercise unsolved
        record(test, result.getStatus() == TestExecutionResult.Status.SUCCESSFUL,
                result.getThrowable().map(Failures::summary).orElse(null));
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, false, "skipped: " + reason);
    }

    private void record(TestIdentifier test, boolean passed, String why) {
        for (TestTag tag : test.getTags()) {
            if (tag.getName().matches("\\d\\d\\.\\d+")) {
                String key = Progress.key(tag.getName(), test.getUniqueId());
                passedByTest.put(key, passed);
                if (!passed && why != null) {
                    failures.put(key, why);
                }
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if ("off".equals(System.getProperty("workshop.progress")) || testClassesDirectory == null
                || passedByTest.isEmpty()) {
            return;
        }
        Optional<Path> module = moduleOf(testClassesDirectory);
        if (module.isEmpty()) {
            return;
        }
        ExerciseCatalog catalog = ExerciseCatalog.of(module.get());
        if (catalog.exercises().isEmpty()) {
            return; // not an exercise module (the support module's own tests)
        }
        Path buildDirectory = testClassesDirectory.getParent();
        Progress progress = Progress.read(buildDirectory).updatedWith(passedByTest, failures);
        progress.write(buildDirectory);
        written = progress;
        if (print) {
            String relativeBuildDirectory = module.get().relativize(buildDirectory).toString();
            System.out.println(ProgressReport.render(catalog, progress,
                    module.get().getParent(), relativeBuildDirectory));
        }
    }

    private void locate(TestSource source) {
        if (testClassesDirectory != null) {
            return;
        }
        Class<?> type = switch (source) {
            case ClassSource c -> c.getJavaClass();
            case MethodSource m -> m.getJavaClass();
            case null, default -> null;
        };
        if (type == null || type.getProtectionDomain().getCodeSource() == null) {
            return;
        }
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                testClassesDirectory = location;
            }
        } catch (Exception ignored) {
            // classes from a jar: not a module's build, nothing to record
        }
    }

    private static Optional<Path> moduleOf(Path testClasses) {
        for (Path dir = testClasses; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("src"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
