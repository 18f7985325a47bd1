package workshop.support.loop;

import workshop.support.exercise.Exercise;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code hint} command: the next hint of an exercise that the learner has not seen, one at a time, read from the
 * module README's {@code ## Hints} section (a {@code ### MM.N Title} heading per exercise, then one
 * {@code <details><summary>Hint K</summary> ... </details>} block per hint), printed as plain Markdown.
 *
 * <p>How many hints of each exercise were shown is kept in the module's build folder, in {@value #FILE}, beside the
 * progress file: {@code ./mvnw clean} forgets both, and the hints file never shows up in git.
 *
 * <p>{@code hint MM.N} shows the next hint; {@code hint MM.N K} shows hint K again (or ahead of its turn).
 */
final class Hints {

    /** The file, in a module's build folder, that counts the hints shown per exercise. */
    static final String FILE = "workshop-hints.properties";

    private static final Pattern HINT = Pattern.compile(
            "<details>\\s*<summary>(.*?)</summary>(.*?)</details>", Pattern.DOTALL);

    private Hints() {
    }

    static String usage() {
        String s = ExerciseArgument.script();
        return """
                Usage: %1$s hint MM.N      the next hint of exercise MM.N that you have not seen yet, e.g. %1$s hint 01.3
                       %1$s hint MM.N K    hint K of that exercise again, e.g. %1$s hint 01.3 2
                """.formatted(s);
    }

    static int run(Workshop.Invocation invocation) throws IOException {
        List<String> args = invocation.args();
        if (args.isEmpty() || args.size() > 2) {
            invocation.out().print(usage());
            return 2;
        }
        Optional<Exercise> found = ExerciseArgument.find(invocation.root(), args.getFirst(), invocation.out());
        if (found.isEmpty()) {
            return 2;
        }
        Exercise exercise = found.get();
        Path module = invocation.root().resolve(exercise.moduleName());
        Path readme = module.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            invocation.out().println("workshop: there is no " + exercise.moduleName() + "/README.md to take the hints"
                    + " from. Restore it with git (git checkout -- " + exercise.moduleName() + "/README.md).");
            return 1;
        }
        List<String> hints = hints(Files.readString(readme, StandardCharsets.UTF_8), exercise.id());
        if (hints.isEmpty()) {
            invocation.out().println("workshop: " + exercise.moduleName() + "/README.md has no hints for "
                    + exercise.id() + ": under its \"## Hints\" heading, the section \"### " + exercise.readmeHeading()
                    + "\" has no <details><summary>Hint 1</summary> ... </details> block. Read the exercise's section"
                    + " instead: " + exercise.readmeLink());
            return 1;
        }
        Path build = module.resolve("target");
        Properties shown = shown(build);
        int seen = Integer.parseInt(shown.getProperty(exercise.id(), "0"));
        String again = ExerciseArgument.script() + " hint " + exercise.id();
        int which;
        if (args.size() == 2) {
            which = number(args.get(1), hints.size());
            if (which == 0) {
                invocation.out().println("workshop: " + exercise.id() + " has hints 1 to " + hints.size() + ", not '"
                        + args.get(1) + "'. For example: " + again + " 1");
                return 2;
            }
        } else if (seen >= hints.size()) {
            invocation.out().println("You have seen all " + hints.size() + " hints for " + exercise.id() + " ("
                    + exercise.title() + "). To read one again: " + again + " K, with K from 1 to " + hints.size()
                    + ", e.g. " + again + " 1.");
            invocation.out().println("Still stuck? " + ExerciseArgument.script() + " solution " + exercise.id()
                    + " shows the difference between your file and the reference solution (it asks first).");
            return 0;
        } else {
            which = seen + 1;
        }
        invocation.out().println("Hint " + which + " of " + hints.size() + " for " + exercise.id() + " ("
                + exercise.title() + "):");
        invocation.out().println();
        invocation.out().println(hints.get(which - 1));
        invocation.out().println();
        int next = Math.max(which, seen) + 1;
        if (next <= hints.size()) {
            invocation.out().println("The next one: " + again + " (hint " + next + " of " + hints.size() + ").");
        } else {
            invocation.out().println((which == hints.size() ? "That was the last hint." : "You have seen every hint.")
                    + " To read one again: " + again + " K (K from 1 to " + hints.size() + ").");
        }
        if (which > seen) {
            shown.setProperty(exercise.id(), Integer.toString(which));
            remember(build, shown);
        }
        return 0;
    }

    /** The hints of one exercise, in order, as Markdown without the {@code details} and {@code summary} tags. */
    static List<String> hints(String readme, String id) {
        String section = section(section(readme, "(?m)^## Hints[ \\t]*$", "(?m)^## "),
                "(?m)^### " + Pattern.quote(id) + "(?: .*)?$", "(?m)^#{2,3} ");
        List<String> hints = new ArrayList<>();
        Matcher hint = HINT.matcher(section);
        while (hint.find()) {
            hints.add(hint.group(2).strip());
        }
        return hints;
    }

    /** The text after the first line that {@code start} matches, up to the next line that {@code end} matches. */
    private static String section(String text, String start, String end) {
        Matcher heading = Pattern.compile(start).matcher(text);
        if (!heading.find()) {
            return "";
        }
        String rest = text.substring(heading.end());
        Matcher next = Pattern.compile(end).matcher(rest);
        return next.find() ? rest.substring(0, next.start()) : rest;
    }

    /** {@code text} as a hint number from 1 to {@code count}, or 0 when it is not one. */
    private static int number(String text, int count) {
        try {
            int n = Integer.parseInt(text.strip());
            return n >= 1 && n <= count ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Properties shown(Path build) {
        Properties shown = new Properties();
        Path file = build.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                shown.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return new Properties(); // unreadable: start over, as the progress file does
            }
        }
        return shown;
    }

    private static void remember(Path build, Properties shown) throws IOException {
        Files.createDirectories(build);
        try (Writer out = Files.newBufferedWriter(build.resolve(FILE), StandardCharsets.UTF_8)) {
            shown.store(out, "Workshop hints: how many hints of each exercise ./workshop hint has shown");
        }
    }
}
