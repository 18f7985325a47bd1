package workshop.support.loop;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;
import workshop.support.progress.Progress;
import workshop.support.progress.ProgressReport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code status} command: the learner's progress box, from the modules' progress files, without running a test.
 *
 * <p>{@code status --line} prints one line instead, for an instructor who collects a room's progress:
 * <pre>
 * workshop-status 23/75 01:8/8 02:11/11 03:4/14 04:0/9 05:0/12 06:0/21 next=03.5
 * </pre>
 * Fields are separated by one space: the word {@code workshop-status}; the solved and total exercise counts; one
 * {@code MM:solved/total} field per module with exercises, in module order ({@code MM} is the module's number); and
 * {@code next=MM.N}, the first unsolved exercise in order, or {@code next=none} when every exercise is solved. An
 * exercise counts as solved as in the box: every test recorded for it passed in the latest run that ran it.
 */
final class Status {

    /** Where a module keeps its progress file, relative to the module: the learner's runs write it there. */
    private static final String BUILD = "target";

    private Status() {
    }

    static String usage() {
        String s = ExerciseArgument.script();
        return """
                Usage: %1$s status          your progress box, from your latest test runs (it runs no test)
                       %1$s status --line   the same on one line, for your instructor
                """.formatted(s);
    }

    static int run(Workshop.Invocation invocation) {
        List<String> args = invocation.args();
        if (args.isEmpty()) {
            invocation.out().println(ProgressReport.render(invocation.root(), BUILD, Map.of(), Set.of()));
            return 0;
        }
        if (args.equals(List.of("--line"))) {
            invocation.out().println(line(invocation.root()));
            return 0;
        }
        invocation.out().print(usage());
        return 2;
    }

    /** The one-line status (the format is in the class's Javadoc). */
    static String line(Path root) {
        StringBuilder modules = new StringBuilder();
        int solved = 0;
        int total = 0;
        Optional<String> next = Optional.empty();
        for (ExerciseCatalog module : ExerciseCatalog.allModules(root)) {
            if (module.exercises().isEmpty()) {
                continue;
            }
            Progress progress = Progress.read(module.moduleDirectory().resolve(BUILD));
            List<Exercise> open = module.exercises().stream().filter(e -> !progress.isSolved(e.id())).toList();
            int done = module.exercises().size() - open.size();
            solved += done;
            total += module.exercises().size();
            modules.append(' ').append(module.moduleName(), "module-".length(), "module-".length() + 2)
                    .append(':').append(done).append('/').append(module.exercises().size());
            if (next.isEmpty() && !open.isEmpty()) {
                next = Optional.of(open.getFirst().id());
            }
        }
        return "workshop-status " + solved + "/" + total + modules + " next=" + next.orElse("none");
    }
}
