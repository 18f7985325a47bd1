package workshop.support;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The one "not solved yet" signal: every starter stub throws it where the learner's code goes.
 *
 * <p>Its message names the exercise, the file to edit and the README section to read, so that a learner who
 * sees it in a test report knows where to start. The starter check accepts it, anywhere in a failure's cause
 * chain, as the intended reason for a test to fail on the starter.
 *
 * <pre>{@code
 * public void done() {
 *     // TODO 01.3: ...
 *     throw new NotSolvedYet("01.3");
 * }
 * }</pre>
 */
public final class NotSolvedYet extends RuntimeException {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final String exerciseId;

    /**
     * @param exerciseId the exercise's id, as in its source header and README table, e.g. {@code "01.3"}
     */
    public NotSolvedYet(String exerciseId) {
        this(exerciseId, WALKER.walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> type != NotSolvedYet.class)
                .findFirst()
                .orElse(NotSolvedYet.class)));
    }

    private NotSolvedYet(String exerciseId, Class<?> stub) {
        super(describe(exerciseId, stub));
        this.exerciseId = exerciseId;
    }

    /** The id of the exercise whose stub threw this. */
    public String exerciseId() {
        return exerciseId;
    }

    private static String describe(String id, Class<?> stub) {
        Optional<Path> module = ExerciseCatalog.moduleDirectoryOf(stub);
        Optional<Exercise> exercise = module.flatMap(dir -> ExerciseCatalog.of(dir).find(id));
        String file = exercise.map(e -> e.displayPath())
                .orElse(stub.getName().replace('.', '/') + ".java");
        String readme = exercise.map(e -> e.readmeLink())
                .orElse("the module's README.md, section " + id);
        return "Not solved yet: exercise " + id + exercise.map(e -> " (" + e.title() + ")").orElse("")
                + ". Edit " + file + " where it says TODO " + id + "; the idea and hints are in " + readme + ".";
    }
}
