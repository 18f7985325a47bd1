package workshop.support.loop;

import workshop.support.exercise.Exercise;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code reset} command: puts an exercise's starter file back, as the upstream repository has it
 * ({@link Upstream}), after saving the learner's file beside it as {@code <name>.saved-<yyyyMMdd-HHmmss>} (not a
 * {@code .java} file, so nothing compiles it). It never loses work: when the learner's file equals the starter there
 * is nothing to save and nothing changes; when the save fails, or the copy does not read back equal, nothing changes;
 * the starter replaces the file in one move, so a failure halfway leaves the learner's file as it was. So it has no
 * reason to refuse on uncommitted changes: the learner's file is always kept, committed or not.
 *
 * <p>A file that holds several exercises (a type built in steps) holds all of their starters: resetting one resets
 * all, so it asks first ({@code --yes} answers for the learner).
 */
final class Reset {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Saves the learner's file somewhere they will find it, and returns where. */
    @FunctionalInterface
    interface Save {
        Path save(Path file) throws IOException;
    }

    private Reset() {
    }

    static String usage() {
        String s = ExerciseArgument.script();
        return """
                Usage: %1$s reset MM.N [--yes]   puts the starter file of exercise MM.N back, after saving yours beside
                                                 it, e.g. %1$s reset 01.3
                """.formatted(s);
    }

    static int run(Workshop.Invocation invocation) throws IOException {
        return run(invocation, Reset::saveBeside);
    }

    static int run(Workshop.Invocation invocation, Save save) throws IOException {
        List<String> args = new ArrayList<>(invocation.args());
        boolean yes = args.remove("--yes");
        if (args.size() != 1) {
            invocation.out().print(usage());
            return 2;
        }
        Optional<Exercise> found = ExerciseArgument.find(invocation.root(), args.getFirst(), invocation.out());
        if (found.isEmpty()) {
            return 2;
        }
        Exercise exercise = found.get();
        String path = exercise.displayPath();
        Path file = ExerciseArgument.file(invocation.root(), exercise);
        Upstream.Starter starter;
        try {
            starter = Upstream.starter(invocation.root(), path);
        } catch (Upstream.Unavailable e) {
            invocation.out().println("workshop: " + e.getMessage() + " Nothing changed.");
            return 1;
        }
        boolean exists = Files.isRegularFile(file);
        if (exists && Arrays.equals(Files.readAllBytes(file), starter.bytes())) {
            invocation.out().println(path + " is already the starter of " + exercise.id() + ": nothing to save,"
                    + " nothing changed.");
            return 0;
        }
        List<Exercise> sharing = ExerciseArgument.sharingItsFile(invocation.root(), exercise);
        if (sharing.size() > 1 && !yes) {
            invocation.out().println(path + " holds " + sharing.size() + " exercises ("
                    + sharing.stream().map(Exercise::id).collect(Collectors.joining(", "))
                    + "): reset puts the starter back for all of them. Yours is saved first.");
            if (!ExerciseArgument.confirmed(invocation, "Reset " + path + "?")) {
                invocation.out().println("Nothing changed.");
                return 0;
            }
        }
        Path saved = null;
        if (exists) {
            try {
                saved = save.save(file);
            } catch (IOException e) {
                invocation.out().println("workshop: could not save your " + path + " (" + e + "), so reset changed"
                        + " nothing. Copy the file somewhere yourself, or free the disk, then run the command again.");
                return 1;
            }
        }
        try {
            replace(file, starter.bytes());
        } catch (IOException e) {
            invocation.out().println("workshop: could not write the starter to " + path + " (" + e + "). Your file is"
                    + " as it was" + (saved == null ? "." : ", and a copy is at " + relative(invocation.root(), saved)
                    + "."));
            return 1;
        }
        String from = starter.revision() + Upstream.shortCommit(invocation.root(), starter.revision())
                .map(c -> " (" + c + ")").orElse("");
        if (saved == null) {
            invocation.out().println(path + " was missing: the starter of " + exercise.id() + " is back, as " + from
                    + " has it.");
            return 0;
        }
        String copy = relative(invocation.root(), saved);
        invocation.out().println("Saved yours as " + copy + " (not a .java file: nothing compiles it).");
        invocation.out().println("Put back the starter of " + exercise.id() + " (" + exercise.title() + "), as "
                + from + " has it: " + path);
        invocation.out().println("To get yours back: " + (ExerciseArgument.script().endsWith(".cmd")
                ? "copy /y \"" + copy.replace('/', '\\') + "\" \"" + path.replace('/', '\\') + "\""
                : "cp '" + copy + "' '" + path + "'"));
        return 0;
    }

    /**
     * Copies {@code file} beside itself as {@code <name>.saved-<yyyyMMdd-HHmmss>} (then {@code -2}, {@code -3}, ...
     * when that name is taken: never over an earlier save) and checks that the copy reads back equal.
     */
    static Path saveBeside(Path file) throws IOException {
        String name = file.getFileName() + ".saved-" + LocalDateTime.now().format(STAMP);
        byte[] original = Files.readAllBytes(file);
        for (int n = 1; ; n++) {
            Path copy = file.resolveSibling(n == 1 ? name : name + "-" + n);
            try {
                Files.write(copy, original, StandardOpenOption.CREATE_NEW);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            if (!Arrays.equals(Files.readAllBytes(copy), original)) {
                throw new IOException("the copy " + copy + " does not read back equal to " + file);
            }
            return copy;
        }
    }

    /** Writes {@code bytes} to a file beside {@code file}, then moves it over {@code file} in one step. */
    private static void replace(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".reset-" + ProcessHandle.current().pid());
        try {
            Files.write(next, bytes);
            try {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(next);
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
