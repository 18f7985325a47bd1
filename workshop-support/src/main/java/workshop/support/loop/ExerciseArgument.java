package workshop.support.loop;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the commands that take an exercise id share: finding the exercise the learner named, or saying which ones
 * exist, and the name of the script the learner types, for the commands that messages suggest.
 */
final class ExerciseArgument {

    /** An exercise id: the module's two digits, a dot, the exercise's number. */
    static final Pattern ID = Pattern.compile("\\d\\d\\.\\d+");

    private ExerciseArgument() {
    }

    /** The script as the learner types it here: messages suggest commands the learner can paste. */
    static String script() {
        return File.separatorChar == '\\' ? "workshop.cmd" : "./workshop";
    }

    /**
     * The exercise {@code id} names, or empty after telling the learner what went wrong: an id that is not one, a
     * module that does not exist (with the modules that do), an exercise that does not exist (with the module's ids).
     */
    static Optional<Exercise> find(Path root, String id, PrintStream out) {
        if (!ID.matcher(id).matches()) {
            out.println("workshop: '" + id + "' is not an exercise id. An id is the module's two digits, a dot and the"
                    + " exercise's number, e.g. 01.3.");
            return Optional.empty();
        }
        String module = id.substring(0, 2);
        List<ExerciseCatalog> modules = ExerciseCatalog.allModules(root);
        Optional<ExerciseCatalog> catalog = modules.stream()
                .filter(m -> m.moduleName().startsWith("module-" + module + "-")).findFirst();
        if (catalog.isEmpty()) {
            out.println("workshop: there is no module " + module + " (no folder module-" + module + "-*). The modules: "
                    + modules.stream().map(ExerciseCatalog::moduleName).collect(Collectors.joining(", ")) + ".");
            return Optional.empty();
        }
        Optional<Exercise> exercise = catalog.get().find(id);
        if (exercise.isEmpty()) {
            // the learner's file declares the exercise: when it was deleted, its reference still does (same path)
            exercise = ExerciseCatalog.of(root.resolve("solutions").resolve(catalog.get().moduleName())).find(id);
        }
        if (exercise.isEmpty()) {
            out.println("workshop: " + catalog.get().moduleName() + " has no exercise " + id + ". Its exercises: "
                    + catalog.get().exercises().stream().map(Exercise::id).collect(Collectors.joining(", ")) + ".");
        }
        return exercise;
    }

    /** The exercises declared in the same file as {@code exercise}, itself included (a type built in steps). */
    static List<Exercise> sharingItsFile(Path root, Exercise exercise) {
        return ExerciseCatalog.of(root.resolve(exercise.moduleName())).exercises().stream()
                .filter(e -> e.source().equals(exercise.source())).toList();
    }

    /** The learner's file of an exercise. */
    static Path file(Path root, Exercise exercise) {
        return root.resolve(exercise.moduleName()).resolve(exercise.source());
    }

    /** Asks a yes/no question on the terminal; anything but y or yes (an empty line, the input's end) is no. */
    static boolean confirmed(Workshop.Invocation invocation, String question) throws IOException {
        invocation.out().print(question + " [y/N] ");
        invocation.out().flush();
        String answer = invocation.in().readLine();
        return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }
}
