package workshop.support.wrong;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A known-bad fixture: a plausible wrong solution of one exercise, kept so that a build can prove that the exercise's
 * tests reject it, with a failure that teaches. It lives in {@code solutions/wrong-answers/<module>/<name>/}:
 * {@code wrong-answer.properties} says which exercise it is for, what is wrong with it and what a failure must say
 * ({@code expect}); its {@code src/main/java} replaces the same files of the reference solution.
 *
 * <p>A known-good one, a correct solution other than the reference, lives in
 * {@code solutions/right-answers/<module>/<name>/} with a {@code right-answer.properties} (no {@code expect}): every
 * test of its exercise must pass against it, which proves that the tests accept any correct answer, not only ours.
 *
 * @param directory the fixture's folder
 * @param exercise  the exercise id, {@code MM.N}: only that exercise's tests are run against it
 * @param what      what is wrong with it, in a sentence
 * @param expect    text that must appear in the failure of at least one of the exercise's tests (empty for a right
 *                  answer)
 * @param sources   its Java files, relative to its {@code src/main/java}: each replaces the reference's file
 * @param diffs     its unified diffs against the reference ({@code *.diff} in its folder, paths relative to
 *                  {@code src/main/java}, or starting with {@code src/test/java/} for a file of the reference's
 *                  tests): the usual form, since it shows the mistake and nothing else
 * @param right     whether it is a right answer, which every test of its exercise must pass
 * @param endToEnd  whether the exercise's end-to-end tests (tagged {@value #END_TO_END}: child JVMs, real servers,
 *                  tens of seconds each) run against it too ({@code end-to-end=true} in its properties); by default
 *                  they do not, since the exercise's own tests must catch it and the check runs once per answer
 */
public record WrongAnswer(Path directory, String exercise, String what, String expect, List<Path> sources,
                          List<Path> diffs, boolean right, boolean endToEnd) {

    /** The tag of a test that runs a whole service (child JVMs, real servers): slow, so left out per answer. */
    public static final String END_TO_END = "end-to-end";

    public static final String DESCRIPTOR = "wrong-answer.properties";
    public static final String RIGHT_DESCRIPTOR = "right-answer.properties";

    /** The folder under the repository root where a module's wrong answers live. */
    public static Path folderOf(Path repositoryRoot, String moduleName) {
        return repositoryRoot.resolve("solutions").resolve("wrong-answers").resolve(moduleName);
    }

    /** The folder under the repository root where a module's right answers (other than the reference) live. */
    public static Path rightFolderOf(Path repositoryRoot, String moduleName) {
        return repositoryRoot.resolve("solutions").resolve("right-answers").resolve(moduleName);
    }

    /** Every wrong answer of a module, in name order; a folder without a valid descriptor fails here, not silently. */
    public static List<WrongAnswer> findAll(Path moduleFolder) {
        if (!Files.isDirectory(moduleFolder)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(moduleFolder)) {
            return dirs.filter(Files::isDirectory).sorted().map(WrongAnswer::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one fixture folder. */
    public static WrongAnswer read(Path directory) {
        boolean right = Files.isRegularFile(directory.resolve(RIGHT_DESCRIPTOR));
        Path descriptor = directory.resolve(right ? RIGHT_DESCRIPTOR : DESCRIPTOR);
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(descriptor, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(directory + ": no readable " + DESCRIPTOR + " or " + RIGHT_DESCRIPTOR, e);
        }
        String exercise = required(properties, "exercise", directory);
        if (!exercise.matches("\\d\\d\\.\\d+")) {
            throw new IllegalArgumentException(directory + ": exercise must be an id like 01.5, not " + exercise);
        }
        Path sourceRoot = directory.resolve("src/main/java");
        List<Path> sources;
        try (Stream<Path> files = Files.isDirectory(sourceRoot) ? Files.walk(sourceRoot) : Stream.empty()) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(sourceRoot::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> diffs;
        try (Stream<Path> files = Files.list(directory)) {
            diffs = files.filter(f -> f.toString().endsWith(".diff")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sources.isEmpty() && diffs.isEmpty()) {
            throw new IllegalArgumentException(directory + ": neither a .diff nor Java files under src/main/java");
        }
        return new WrongAnswer(directory, exercise, required(properties, "what", directory),
                right ? "" : required(properties, "expect", directory), sources, diffs, right,
                Boolean.parseBoolean(properties.getProperty("end-to-end", "false").strip()));
    }

    /** The JUnit tag expression of the tests to run against it: its exercise's, without end-to-end ones unless asked. */
    public String tests() {
        return endToEnd ? exercise : exercise + " & !" + END_TO_END;
    }

    private static String required(Properties properties, String key, Path directory) {
        String value = properties.getProperty(key, "").strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException(directory + ": " + DESCRIPTOR + " has no " + key);
        }
        return value;
    }

    /** The fixture's folder name, e.g. {@code 01.5-seam-before-read}; a right answer's starts with {@code right/}. */
    public String name() {
        return (right ? "right/" : "") + directory.getFileName().toString();
    }

    /** Where its sources are. */
    public Path sourceRoot() {
        return directory.resolve("src/main/java");
    }
}
