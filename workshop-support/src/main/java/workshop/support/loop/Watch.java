package workshop.support.loop;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./workshop watch [MM | MM.N]}: re-checks an exercise each time a file of its module is saved. It compiles what
 * changed in this JVM ({@link ModuleCompiler}), runs the exercise's tests in a worker JVM ({@link WatchWorker}: a fresh
 * class loader per check, the workshop's extensions as under Maven, the same progress file as {@code ./mvnw test}),
 * and prints the verdict and the progress line. A worker that a check leaves with stuck or leaked threads, or that the
 * code under test ended ({@code System.exit}), is replaced by a fresh one. Runs until ctrl-C.
 */
final class Watch {

    /** How long a fresh worker JVM may take to get ready. */
    static final Duration READY_LIMIT = Duration.ofSeconds(90);

    /** How long a check may take in all: past every test's own time limit, only a stuck JVM takes this long. */
    static final Duration CHECK_LIMIT = Duration.ofMinutes(4);

    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private Watch() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        Path root = invocation.root();
        PrintStream out = invocation.out();
        String what = invocation.args().isEmpty() ? "" : invocation.args().getFirst();
        Optional<Target> target = Target.parse(root, what, out);
        if (target.isEmpty()) {
            return 2;
        }
        Map<Path, WatchSession> sessions = new LinkedHashMap<>();
        for (ExerciseCatalog module : target.get().modules()) {
            Optional<WatchSession> session = WatchSession.open(root, module, out);
            if (session.isEmpty()) {
                return 1;
            }
            sessions.put(module.moduleDirectory(), session.get());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> sessions.values().forEach(WatchSession::close),
                "workshop-watch-stop"));
        Watcher watcher = new Watcher(root, out, sessions, target.get().focus());
        return watcher.watch();
    }

    /** One check of one exercise, as the watcher makes it, then its worker stops (for the pre-flight check). */
    static int once(Path root, String exerciseId, PrintStream out) throws Exception {
        Optional<Target> target = Target.parse(root, exerciseId, out);
        if (target.isEmpty() || target.get().focus().isEmpty()) {
            return 2;
        }
        Optional<WatchSession> session = WatchSession.open(root, target.get().modules().getFirst(), out);
        if (session.isEmpty()) {
            return 1;
        }
        try (WatchSession s = session.get()) {
            s.startWorker();
            if (!s.compileStale(out)) {
                return 1;
            }
            WatchSession.Verdict verdict = s.check(List.of(target.get().focus().get()), System.currentTimeMillis(), out);
            new Watcher(root, out, Map.of(s.module().moduleDirectory(), s), target.get().focus())
                    .printProgress(s, List.of(target.get().focus().get()));
            return verdict == WatchSession.Verdict.NONE ? 1 : 0;
        }
    }

    /** What to watch: modules, and maybe one exercise to re-check on every save. */
    record Target(List<ExerciseCatalog> modules, Optional<String> focus) {

        static Optional<Target> parse(Path root, String what, PrintStream out) {
            List<ExerciseCatalog> all = ExerciseCatalog.allModules(root).stream()
                    .filter(m -> !m.exercises().isEmpty()).toList();
            if (what.isBlank() || what.equals("all")) {
                return Optional.of(new Target(all, Optional.empty()));
            }
            String prefix = what.matches("\\d\\d(\\.\\d+)?") ? "module-" + what.substring(0, 2) + "-" : what;
            Optional<ExerciseCatalog> module = all.stream()
                    .filter(m -> m.moduleName().startsWith(prefix) || m.moduleName().equals(what.replace("/", "")))
                    .findFirst();
            if (module.isEmpty()) {
                out.println("workshop watch: no module for '" + what + "'. Give a module (01), an exercise (01.3) or "
                        + "nothing (every module); the modules: "
                        + all.stream().map(ExerciseCatalog::moduleName).toList());
                return Optional.empty();
            }
            if (what.matches("\\d\\d\\.\\d+")) {
                if (module.get().find(what).isEmpty()) {
                    out.println("workshop watch: " + module.get().moduleName() + " has no exercise " + what
                            + "; its exercises: " + module.get().exercises().stream().map(Exercise::id).toList());
                    return Optional.empty();
                }
                return Optional.of(new Target(List.of(module.get()), Optional.of(what)));
            }
            return Optional.of(new Target(List.of(module.get()), Optional.empty()));
        }
    }
}
