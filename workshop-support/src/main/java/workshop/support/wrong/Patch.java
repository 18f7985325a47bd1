package workshop.support.wrong;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unified diff ({@code diff -u}, {@code git diff}) of one or more Java files against the reference solution: how a
 * wrong (or right) answer differs from ours, in the few lines that matter. Applied hunk by hunk, each where its
 * unchanged and removed lines are found (at the line it names, or anywhere else in the file if the reference has
 * moved), so that an edit elsewhere in the reference does not break it; one whose lines are gone fails loudly.
 *
 * <p>Paths are relative to {@code src/main/java}; a path that starts with {@value #TEST_SOURCES} names a file of the
 * reference's tests instead (an exercise whose answer is a test: its wrong answers are weak tests).
 */
final class Patch {

    /** The prefix of a diff's path that names a test source: {@code src/test/java/workshop/...}. */
    static final String TEST_SOURCES = "src/test/java/";

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+\\d+(?:,(\\d+))? @@.*");

    private record Hunk(int oldStart, List<String> before, List<String> after) {
    }

    private record FilePatch(String path, List<Hunk> hunks) {
    }

    private Patch() {
    }

    /**
     * Applies {@code diff} to the files below {@code sourceRoot}.
     *
     * @throws IllegalArgumentException if a file it names is missing or a hunk's lines are not found
     */
    static void apply(Path diff, Path sourceRoot) throws IOException {
        apply(diff, sourceRoot, null);
    }

    /**
     * Applies {@code diff} to the files below {@code sourceRoot}, and those of its paths that start with
     * {@value #TEST_SOURCES} to the files below {@code testSourceRoot}.
     *
     * @param testSourceRoot a copy of the reference's test sources, or null if there is none
     * @return the test sources it changed, relative to {@code testSourceRoot}
     * @throws IllegalArgumentException if a file it names is missing or a hunk's lines are not found
     */
    static List<Path> apply(Path diff, Path sourceRoot, Path testSourceRoot) throws IOException {
        List<Path> changedTests = new ArrayList<>();
        for (FilePatch file : parse(Files.readAllLines(diff))) {
            boolean test = file.path().startsWith(TEST_SOURCES);
            String relative = test ? file.path().substring(TEST_SOURCES.length()) : file.path();
            Path root = test ? testSourceRoot : sourceRoot;
            Path target = root == null ? null : root.resolve(relative);
            if (target == null || !Files.isRegularFile(target)) {
                throw new IllegalArgumentException(diff.getFileName() + ": no file " + file.path() + " in the reference"
                        + (test ? "'s tests" : ""));
            }
            if (test) {
                changedTests.add(Path.of(relative));
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(target));
            for (Hunk hunk : file.hunks()) {
                int at = find(lines, hunk.before(), hunk.oldStart() - 1);
                if (at < 0) {
                    throw new IllegalArgumentException(diff.getFileName() + ": a hunk at line " + hunk.oldStart()
                            + " of " + file.path() + " no longer matches the reference: make the diff again");
                }
                lines.subList(at, at + hunk.before().size()).clear();
                lines.addAll(at, hunk.after());
            }
            Files.write(target, lines);
        }
        return changedTests;
    }

    private static List<FilePatch> parse(List<String> diff) {
        List<FilePatch> files = new ArrayList<>();
        List<Hunk> hunks = null;
        Hunk hunk = null;
        int oldLeft = 0;
        int newLeft = 0;
        for (String line : diff) {
            if (hunk != null && (oldLeft > 0 || newLeft > 0)) { // inside a hunk: its header says how many lines
                if (line.startsWith("\\")) {
                    continue; // "\ No newline at end of file"
                }
                String text = line.isEmpty() ? "" : line.substring(1);
                char kind = line.isEmpty() ? ' ' : line.charAt(0);
                if (kind != '+') {
                    hunk.before().add(text);
                    oldLeft--;
                }
                if (kind != '-') {
                    hunk.after().add(text);
                    newLeft--;
                }
                continue;
            }
            Matcher header = HUNK.matcher(line);
            if (line.startsWith("+++ ")) {
                String path = line.substring(4).split("\t")[0].strip();
                path = path.startsWith("b/") ? path.substring(2) : path;
                hunks = new ArrayList<>();
                files.add(new FilePatch(path, hunks));
                hunk = null;
            } else if (hunks != null && header.matches()) {
                hunk = new Hunk(Integer.parseInt(header.group(1)), new ArrayList<>(), new ArrayList<>());
                oldLeft = header.group(2) == null ? 1 : Integer.parseInt(header.group(2));
                newLeft = header.group(3) == null ? 1 : Integer.parseInt(header.group(3));
                hunks.add(hunk);
            }
        }
        return files;
    }

    /** Where {@code block} occurs in {@code lines}: at {@code expected} if it does, else its nearest occurrence. */
    private static int find(List<String> lines, List<String> block, int expected) {
        int best = -1;
        for (int at = 0; at + block.size() <= lines.size(); at++) {
            if (lines.subList(at, at + block.size()).equals(block)
                    && (best < 0 || Math.abs(at - expected) < Math.abs(best - expected))) {
                best = at;
            }
        }
        return best;
    }
}
