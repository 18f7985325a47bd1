package workshop.support.progress;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The box a learner reads at the end of a test run: the count of solved exercises, in all and per module, and the
 * next exercise to do: why it fails, where to read, what to edit, and the command that runs only it.
 */
public final class ProgressReport {

    private static final String RULE = "-".repeat(78);
    private static final int WHY_LINES = 6;
    private static final int WIDTH = 100;

    private ProgressReport() {
    }

    /**
     * The box for one module that just ran (an IDE's run, a Surefire run): the other modules' counts come from their
     * progress files.
     *
     * @param module                the module that just ran
     * @param progress              its progress
     * @param repositoryRoot        where to find the other modules, for the total
     * @param relativeBuildDirectory where a module keeps its progress file ({@code target}, or {@code target/solutions})
     */
    public static String render(ExerciseCatalog module, Progress progress, Path repositoryRoot,
                                String relativeBuildDirectory) {
        return render(repositoryRoot, relativeBuildDirectory, Map.of(module.moduleName(), progress), Set.of());
    }

    /**
     * The box for every module of the repository, computed once.
     *
     * @param justRan the progress of the modules this build ran, by module name (the others' come from their files)
     * @param notRun  modules this build should have run but did not (a compile error, a crashed test JVM)
     */
    public static String render(Path repositoryRoot, String relativeBuildDirectory, Map<String, Progress> justRan,
                                Set<String> notRun) {
        List<ExerciseCatalog> modules = ExerciseCatalog.allModules(repositoryRoot).stream()
                .filter(m -> !m.exercises().isEmpty()).toList();
        int total = 0;
        int solved = 0;
        StringBuilder lines = new StringBuilder();
        Optional<Exercise> next = Optional.empty();
        Progress nextProgress = null;
        ExerciseCatalog previous = null;
        ExerciseCatalog previousDone = null;
        for (ExerciseCatalog module : modules) {
            Progress progress = justRan.getOrDefault(module.moduleName(),
                    Progress.read(module.moduleDirectory().resolve(relativeBuildDirectory)));
            long done = module.exercises().stream().filter(e -> progress.isSolved(e.id())).count();
            total += module.exercises().size();
            solved += (int) done;
            lines.append(String.format("   %-24s %2d/%-3d %s%s%n", module.moduleName(), done, module.exercises().size(),
                    bar(done, module.exercises().size()), notRun.contains(module.moduleName())
                            ? "  not run in this build: see the error above" : done == module.exercises().size()
                            ? "  done" : ""));
            if (next.isEmpty()) {
                next = module.exercises().stream().filter(e -> !progress.isSolved(e.id())).findFirst();
                nextProgress = progress;
                // a learner who just finished a module is pointed at the next one
                if (next.isPresent() && previous != null && next.get() == module.exercises().getFirst()) {
                    previousDone = previous;
                }
            }
            previous = module;
        }

        StringBuilder out = new StringBuilder("\n").append(RULE).append('\n');
        out.append(String.format(" Workshop progress: %d of %d exercises solved  %s%n", solved, total, bar(solved, total)));
        out.append(lines);
        if (next.isPresent()) {
            Exercise e = next.get();
            if (previousDone != null) {
                out.append(" ").append(previousDone.moduleName()).append(" is done: compare yours with solutions/")
                        .append(previousDone.moduleName()).append(" (README: Hints and solutions). On to ")
                        .append(e.moduleName()).append(".\n");
            }
            out.append(" Next: ").append(e.id()).append(' ').append(e.title()).append('\n');
            Optional<String> why = nextProgress.firstFailure(e.id()).map(ProgressReport::why);
            if (why.isPresent()) {
                out.append(indent("   why   ", why.get()));
            } else if (!nextProgress.wasRun(e.id())) {
                out.append("   why   its tests have not run yet\n");
            }
            out.append("   read  ").append(e.readmeLink()).append('\n')
                    .append("   edit  ").append(e.displayPath()).append('\n')
                    .append("   run   ").append(runCommand(e, relativeBuildDirectory)).append('\n');
            if (!relativeBuildDirectory.contains("solutions")) {
                out.append("   watch ").append(watchCommand(e)).append('\n');
            }
        } else {
            out.append(" Every exercise is solved. Compare yours with solutions/ (README: Hints and solutions).\n");
        }
        out.append(RULE);
        return out.toString();
    }

    /** The command that builds only what the exercise's module needs and runs only that exercise's tests. */
    public static String runCommand(Exercise e, String relativeBuildDirectory) {
        String profile = relativeBuildDirectory.contains("solutions") ? "verify -Psolutions" : "test";
        return "./mvnw " + profile + " -pl " + e.moduleName() + " -am -Dgroups=" + e.id();
    }

    /** The learner's loop for that exercise: re-checks it each time a file is saved, in about a second. */
    public static String watchCommand(Exercise e) {
        return "./workshop watch " + e.id() + "   (re-checks it on every save; Windows: workshop.cmd watch " + e.id() + ")";
    }

    /** What a learner needs from a failure message: a stub's signal in a few words, anything else as it is. */
    public static String why(String failure) {
        if (failure.contains("Not solved yet: exercise")) {
            return "not solved yet: the stub still throws NotSolvedYet where it says TODO";
        }
        return failure;
    }

    private static String indent(String label, String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.strip().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            while (line.length() > WIDTH) {
                int cut = line.lastIndexOf(' ', WIDTH);
                cut = cut <= 0 ? WIDTH : cut;
                lines.add(line.substring(0, cut));
                line = line.substring(cut).stripLeading();
            }
            lines.add(line);
        }
        StringBuilder out = new StringBuilder();
        String pad = " ".repeat(label.length());
        for (int i = 0; i < Math.min(lines.size(), WHY_LINES); i++) {
            out.append(i == 0 ? label : pad).append(lines.get(i)).append('\n');
        }
        if (lines.size() > WHY_LINES) {
            out.append(pad).append("...\n");
        }
        return out.toString();
    }

    static String bar(long done, int total) {
        int width = 20;
        int filled = total == 0 ? 0 : (int) (width * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
