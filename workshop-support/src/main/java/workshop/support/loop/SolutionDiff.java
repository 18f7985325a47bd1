package workshop.support.loop;

import workshop.support.exercise.Exercise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code solution} command: the difference between the learner's file of an exercise and its reference solution
 * ({@code solutions/<module>/<the same path>}), as a unified diff with 3 lines of context and paths relative to the
 * repository root. It gives the answer away, so it asks first; {@code --yes} answers for the learner.
 */
final class SolutionDiff {

    static final int CONTEXT = 3;

    private SolutionDiff() {
    }

    static String usage() {
        String s = ExerciseArgument.script();
        return """
                Usage: %1$s solution MM.N [--yes]   the difference between your file of exercise MM.N and the reference
                                                    solution, e.g. %1$s solution 01.3 (it asks first; --yes does not)
                """.formatted(s);
    }

    static int run(Workshop.Invocation invocation) throws IOException {
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
        String yours = exercise.displayPath();
        String reference = "solutions/" + yours;
        Path yourFile = invocation.root().resolve(yours);
        Path referenceFile = invocation.root().resolve(reference);
        if (!Files.isRegularFile(referenceFile)) {
            invocation.out().println("workshop: there is no reference solution for " + exercise.id() + " at "
                    + reference + ". Restore the solutions folder with git (git checkout -- solutions), or ask your"
                    + " instructor.");
            return 1;
        }
        if (!Files.isRegularFile(yourFile)) {
            invocation.out().println("workshop: your file of " + exercise.id() + " is missing: " + yours + ". "
                    + ExerciseArgument.script() + " reset " + exercise.id() + " puts the starter back.");
            return 1;
        }
        List<Exercise> sharing = ExerciseArgument.sharingItsFile(invocation.root(), exercise);
        if (!yes) {
            if (sharing.size() > 1) {
                invocation.out().println(yours + " holds " + sharing.size() + " exercises ("
                        + sharing.stream().map(Exercise::id).collect(Collectors.joining(", "))
                        + "): the difference shows the answers of all of them.");
            }
            if (!ExerciseArgument.confirmed(invocation, "Show the reference solution for " + exercise.id() + " ("
                    + exercise.title() + ")? It shows the answer.")) {
                invocation.out().println("Not shown. A hint first? " + ExerciseArgument.script() + " hint "
                        + exercise.id());
                return 0;
            }
        }
        byte[] mine = Files.readAllBytes(yourFile);
        byte[] theirs = Files.readAllBytes(referenceFile);
        String diff = UnifiedDiff.of(yours + " (yours)", UnifiedDiff.lines(new String(mine, StandardCharsets.UTF_8)),
                reference + " (reference)", UnifiedDiff.lines(new String(theirs, StandardCharsets.UTF_8)), CONTEXT);
        if (diff.isEmpty()) {
            invocation.out().println("Your " + yours + " is the same as the reference solution, line for line"
                    + (Arrays.equals(mine, theirs) ? "." : " (only the line endings differ)."));
            return 0;
        }
        invocation.out().print(diff);
        invocation.out().println();
        invocation.out().println("Lines with - are yours, lines with + the reference's. The reference is one answer"
                + " among several: yours is right when the tests of " + exercise.id() + " pass.");
        return 0;
    }
}
