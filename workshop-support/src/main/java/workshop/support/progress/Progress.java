package workshop.support.progress;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which tests of one module's exercises passed in the latest run that ran them, and why each failing one failed;
 * kept in the module's build folder, in {@value #FILE}, so that running one exercise, or one test, keeps what earlier
 * runs found about the others. An exercise is solved when every test (and test class) recorded for it passed.
 *
 * @param passedByTest keyed by {@link #key(String, String)}: the exercise id and the test's unique id
 * @param failures     the failure message of each failed test, by the same key (absent when unknown)
 */
public record Progress(Map<String, Boolean> passedByTest, Map<String, String> failures) {

    public static final String FILE = "workshop-progress.properties";

    private static final String PASSED = "passed";
    private static final String FAILED = "failed";

    public Progress {
        passedByTest = Map.copyOf(passedByTest);
        failures = Map.copyOf(failures);
    }

    public Progress(Map<String, Boolean> passedByTest) {
        this(passedByTest, Map.of());
    }

    /** The key of one test (or test class) of an exercise. */
    public static String key(String exerciseId, String testId) {
        return exerciseId + "|" + testId;
    }

    /** What the file in {@code buildDirectory} says; nothing solved when there is no file. */
    public static Progress read(Path buildDirectory) {
        Path file = buildDirectory.resolve(FILE);
        Map<String, Boolean> passed = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException e) {
                return new Progress(passed); // unreadable: start over
            }
            properties.forEach((key, value) -> {
                String text = (String) value;
                passed.put((String) key, PASSED.equals(text));
                if (text.startsWith(FAILED + ": ")) {
                    failures.put((String) key, text.substring(FAILED.length() + 2));
                }
            });
        }
        return new Progress(passed, failures);
    }

    /** This progress with the outcomes of the latest run laid over it. */
    public Progress updatedWith(Map<String, Boolean> latest) {
        return updatedWith(latest, Map.of());
    }

    /** This progress with the outcomes (and failure messages) of the latest run laid over it. */
    public Progress updatedWith(Map<String, Boolean> latest, Map<String, String> latestFailures) {
        Map<String, Boolean> merged = new TreeMap<>(passedByTest);
        merged.putAll(latest);
        Map<String, String> mergedFailures = new TreeMap<>(failures);
        latest.keySet().forEach(mergedFailures::remove);
        latestFailures.forEach((key, why) -> {
            if (Boolean.FALSE.equals(latest.get(key))) {
                mergedFailures.put(key, why);
            }
        });
        return new Progress(merged, mergedFailures);
    }

    /** Whether tests of the exercise were recorded and every one of them passed. */
    public boolean isSolved(String exerciseId) {
        String prefix = exerciseId + "|";
        boolean any = false;
        for (Map.Entry<String, Boolean> entry : passedByTest.entrySet()) {
            if (entry.getKey().startsWith(prefix)) {
                if (!entry.getValue()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** Whether any test of the exercise was ever recorded. */
    public boolean wasRun(String exerciseId) {
        return passedByTest.keySet().stream().anyMatch(key -> key.startsWith(exerciseId + "|"));
    }

    /** Why the exercise's first failing test (in test id order) failed, if that was recorded. */
    public Optional<String> firstFailure(String exerciseId) {
        return new TreeMap<>(failures).entrySet().stream()
                .filter(e -> e.getKey().startsWith(exerciseId + "|"))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    public void write(Path buildDirectory) {
        Properties properties = new Properties();
        passedByTest.forEach((key, passed) -> properties.setProperty(key, passed ? PASSED
                : failures.containsKey(key) ? FAILED + ": " + failures.get(key) : FAILED));
        try {
            Files.createDirectories(buildDirectory);
            try (Writer out = Files.newBufferedWriter(buildDirectory.resolve(FILE))) {
                properties.store(out, "Workshop progress: written after each test run");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
