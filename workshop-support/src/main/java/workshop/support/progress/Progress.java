package workshop.support.progress;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which tests of one module's exercises passed in the latest run that ran them; kept in the module's build folder, in
 * {@value #FILE}, so that running one exercise, or one test, keeps what earlier runs found about the others. An
 * exercise is solved when every test (and test class) recorded for it passed.
 *
 * @param passedByTest keyed by {@link #key(String, String)}: the exercise id and the test's unique id
 */
public record Progress(Map<String, Boolean> passedByTest) {

    public static final String FILE = "workshop-progress.properties";

    public Progress {
        passedByTest = Map.copyOf(passedByTest);
    }

    /** The key of one test (or test class) of an exercise. */
    public static String key(String exerciseId, String testId) {
        return exerciseId + "|" + testId;
    }

    /** What the file in {@code buildDirectory} says; nothing solved when there is no file. */
    public static Progress read(Path buildDirectory) {
        Path file = buildDirectory.resolve(FILE);
        Map<String, Boolean> solved = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException e) {
                return new Progress(solved); // unreadable: start over
            }
            properties.forEach((key, value) -> solved.put((String) key, "passed".equals(value)));
        }
        return new Progress(solved);
    }

    /** This progress with the outcomes of the latest run laid over it. */
    public Progress updatedWith(Map<String, Boolean> latest) {
        Map<String, Boolean> merged = new TreeMap<>(passedByTest);
        merged.putAll(latest);
        return new Progress(merged);
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

    public void write(Path buildDirectory) {
        Properties properties = new Properties();
        passedByTest.forEach((key, passed) -> properties.setProperty(key, passed ? "passed" : "failed"));
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
