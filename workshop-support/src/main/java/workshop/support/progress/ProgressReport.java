package workshop.support.progress;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The few lines a learner reads after a test run: this module's count, what to do next, and the total. */
public final class ProgressReport {

    private ProgressReport() {
    }

    /**
     * @param module                the module that just ran
     * @param progress              its progress
     * @param repositoryRoot        where to find the other modules, for the total
     * @param relativeBuildDirectory where a module keeps its progress file ({@code target}, or {@code target/solutions})
     */
    public static String render(ExerciseCatalog module, Progress progress, Path repositoryRoot,
                                String relativeBuildDirectory) {
        List<Exercise> exercises = module.exercises();
        long solved = exercises.stream().filter(e -> progress.isSolved(e.id())).count();
        Optional<Exercise> next = exercises.stream().filter(e -> !progress.isSolved(e.id())).findFirst();

        StringBuilder out = new StringBuilder("\n");
        String rule = "-".repeat(78);
        out.append(rule).append('\n');
        out.append(String.format(" %s: %d of %d exercises solved  %s%n", module.moduleName(), solved, exercises.size(),
                bar(solved, exercises.size())));
        for (Exercise e : exercises) {
            out.append(String.format("   %s %-6s %s%n", progress.isSolved(e.id()) ? "[x]" : "[ ]", e.id(), e.title()));
        }
        next.ifPresentOrElse(e -> out.append(" Next: ").append(e.id()).append(' ').append(e.title()).append('\n')
                        .append("   read  ").append(e.readmeLink()).append('\n')
                        .append("   edit  ").append(e.displayPath()).append('\n')
                        .append("   run   ./mvnw test -Dgroups=").append(e.id()).append('\n'),
                () -> out.append(" Every exercise of this module is solved. Compare yours with solutions/")
                        .append(module.moduleName()).append(" (README: Hints and solutions).\n"));

        int totalExercises = 0;
        int totalSolved = 0;
        StringBuilder modules = new StringBuilder();
        for (ExerciseCatalog other : ExerciseCatalog.allModules(repositoryRoot)) {
            Progress p = other.moduleName().equals(module.moduleName()) ? progress
                    : Progress.read(other.moduleDirectory().resolve(relativeBuildDirectory));
            long s = other.exercises().stream().filter(e -> p.isSolved(e.id())).count();
            totalExercises += other.exercises().size();
            totalSolved += (int) s;
            modules.append(String.format("   %-24s %d/%d%n", other.moduleName(), s, other.exercises().size()));
        }
        out.append(String.format(" All modules: %d of %d exercises solved%n", totalSolved, totalExercises));
        out.append(modules);
        out.append(rule);
        return out.toString();
    }

    private static String bar(long done, int total) {
        int width = 20;
        int filled = total == 0 ? 0 : (int) (width * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
