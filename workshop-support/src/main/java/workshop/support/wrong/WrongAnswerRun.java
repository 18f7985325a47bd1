package workshop.support.wrong;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs the tests of one exercise against a wrong answer, in a JVM of its own whose class path holds the wrong answer's
 * classes, and writes what happened to an outcome file for {@link WrongAnswerCheck}.
 *
 * <p>Usage: {@code WrongAnswerRun <tag expression, e.g. "06.20 & !end-to-end"> <test-classes folder> <outcome file>}.
 */
public final class WrongAnswerRun {

    private WrongAnswerRun() {
    }

    public static void main(String[] args) {
        String exercise = args[0];
        Path testClasses = Path.of(args[1]);
        Path outcomeFile = Path.of(args[2]);
        Outcome outcome = run(exercise, testClasses);
        outcome.write(outcomeFile);
        System.exit(0); // a wrong answer may leave threads behind: they must not keep this JVM alive
    }

    /** What the exercise's tests did: how many ran, and the failure text of each one that failed. */
    record Outcome(int tests, List<String> failures) {
        void write(Path file) {
            Properties properties = new Properties();
            properties.setProperty("tests", String.valueOf(tests));
            for (int i = 0; i < failures.size(); i++) {
                properties.setProperty("failure." + i, failures.get(i));
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "wrong answer run");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Outcome read(Path file) {
            Properties properties = new Properties();
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> failures = new ArrayList<>();
            for (int i = 0; properties.containsKey("failure." + i); i++) {
                failures.add(properties.getProperty("failure." + i));
            }
            return new Outcome(Integer.parseInt(properties.getProperty("tests", "0")), failures);
        }
    }

    static Outcome run(String exercise, Path testClasses) {
        LauncherDiscoveryRequest discovery = request()
                .selectors(selectClasspathRoots(Set.of(testClasses)))
                .filters(TagFilter.includeTags(exercise))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
        List<String> failures = new ArrayList<>();
        int[] tests = {0};
        LauncherFactory.create().execute(discovery, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    tests[0]++;
                }
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failures.add(test.getDisplayName() + ": "
                            + result.getThrowable().map(WrongAnswerRun::fullText).orElse("aborted"));
                }
            }
        });
        return new Outcome(tests[0], failures);
    }

    /** A throwable's messages: its own, its causes' and its suppressed exceptions', each once. */
    static String fullText(Throwable thrown) {
        StringBuilder out = new StringBuilder();
        appendText(thrown, out, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return out.toString();
    }

    private static void appendText(Throwable t, StringBuilder out, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        if (!out.isEmpty()) {
            out.append("\n  caused by / with: ");
        }
        out.append(t);
        for (Throwable suppressed : t.getSuppressed()) {
            appendText(suppressed, out, seen);
        }
        appendText(t.getCause(), out, seen);
    }
}
