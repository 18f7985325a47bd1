package workshop.support.loop;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;
import workshop.support.progress.ExerciseTests;
import workshop.support.progress.LearnerRun;
import workshop.support.progress.Progress;
import workshop.support.progress.ProgressReport;
import workshop.support.testing.Patience;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

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
        Map<Path, Session> sessions = new LinkedHashMap<>();
        for (ExerciseCatalog module : target.get().modules()) {
            Optional<Session> session = Session.open(root, module, out);
            if (session.isEmpty()) {
                return 1;
            }
            sessions.put(module.moduleDirectory(), session.get());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> sessions.values().forEach(Session::close),
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
        Optional<Session> session = Session.open(root, target.get().modules().getFirst(), out);
        if (session.isEmpty()) {
            return 1;
        }
        try (Session s = session.get()) {
            s.startWorker();
            if (!s.compileStale(out)) {
                return 1;
            }
            Check.Verdict verdict = s.check(List.of(target.get().focus().get()), System.currentTimeMillis(), out);
            new Watcher(root, out, Map.of(s.module().moduleDirectory(), s), target.get().focus())
                    .printProgress(s, List.of(target.get().focus().get()));
            return verdict == Check.Verdict.NONE ? 1 : 0;
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

    /** The loop: wait for saved files, compile, check, print. */
    static final class Watcher {
        private final Path root;
        private final PrintStream out;
        private final Map<Path, Session> sessions;
        private final Optional<String> focus;
        private List<String> lastChecked = List.of();
        private long compileNanos;

        Watcher(Path root, PrintStream out, Map<Path, Session> sessions, Optional<String> focus) {
            this.root = root;
            this.out = out;
            this.sessions = sessions;
            this.focus = focus;
        }

        int watch() throws Exception {
            Session first = sessions.values().iterator().next();
            List<String> firstCheck = focus.map(List::of).orElseGet(() -> nextUnsolved().map(List::of).orElse(List.of()));
            if (!firstCheck.isEmpty()) {
                first = sessionOf(firstCheck.getFirst()).orElse(first);
            }
            // from here on, a save is seen, even one made during the first check
            List<Path> folders = new ArrayList<>();
            sessions.keySet().forEach(m -> folders.addAll(SourcePoller.folders(m)));
            SourcePoller poller = new SourcePoller(folders);
            first.startWorker(); // warms up while the module compiles
            out.println("Watching " + (sessions.size() == 1 ? first.module().moduleName() : sessions.size() + " modules")
                    + focus.map(f -> ", re-checking " + f + " on every save").orElse("")
                    + ". Save a file to check its exercise; ctrl-C stops.");
            boolean compiles = true;
            for (Session session : sessions.values()) {
                compiles &= session.compileStale(out);
            }
            if (!firstCheck.isEmpty() && compiles) {
                Session s = first;
                header("start", firstCheck, s);
                check(s, firstCheck, System.currentTimeMillis());
            }
            first.warmUpCompiler(); // after the first check: the two would share the CPU
            while (true) {
                SourcePoller.Batch batch = poller.next();
                for (Session session : sessions.values()) {
                    List<Path> mine = batch.files().stream().filter(f -> f.startsWith(session.module().moduleDirectory()))
                            .toList();
                    if (!mine.isEmpty()) {
                        try {
                            onSaved(session, mine, batch.savedAtMillis());
                        } catch (IOException | RuntimeException e) { // a file that vanished mid-read, a full disk
                            out.println("   the watcher could not check this save (" + e + "); save again to retry.");
                        }
                    }
                }
            }
        }

        private void onSaved(Session session, List<Path> files, long savedAt) throws Exception {
            String names = String.join(", ", files.stream().map(f -> f.getFileName().toString()).sorted().toList());
            long start = System.nanoTime();
            ModuleCompiler.Result compiled = session.compile(files);
            compileNanos = System.nanoTime() - start;
            List<String> exercises = focus.isPresent() ? List.of(focus.get()) : session.exercisesFor(files);
            if (exercises.isEmpty() && !lastChecked.isEmpty() && sessionOf(lastChecked.getFirst()).orElse(null) == session) {
                exercises = lastChecked;
            }
            out.println();
            out.println("-- " + LocalTime.now().format(CLOCK) + "  saved " + names
                    + (exercises.isEmpty() ? "" : "  ->  " + describe(session, exercises)));
            if (!compiled.ok()) {
                out.print(compiled.errors());
                out.println("   does not compile: fix the error above and save again (the last good classes stay).");
                return;
            }
            if (compiled.wholeModule()) {
                out.println("   a signature changed: recompiled the whole module (" + compiled.files() + " files)");
            }
            if (exercises.isEmpty()) {
                out.println("   compiled; no exercise's tests use " + names + ".");
                return;
            }
            check(session, exercises, savedAt);
        }

        private void header(String why, List<String> exercises, Session session) {
            out.println();
            out.println("-- " + LocalTime.now().format(CLOCK) + "  " + why + "  ->  " + describe(session, exercises));
        }

        private static String describe(Session session, List<String> exercises) {
            return exercises.size() == 1 ? exercises.getFirst() + " " + session.module().find(exercises.getFirst())
                    .map(Exercise::title).orElse("") : String.join(", ", exercises);
        }

        private void check(Session session, List<String> exercises, long savedAt) throws Exception {
            lastChecked = exercises;
            long start = System.nanoTime();
            Check.Verdict verdict = session.check(exercises, savedAt, out);
            long testNanos = System.nanoTime() - start;
            if (verdict != Check.Verdict.NONE) {
                printProgress(session, exercises);
            }
            out.printf(Locale.ROOT, "   verdict %.2f s after the save (compile %.2f s, tests %.2f s)%n",
                    (System.currentTimeMillis() - savedAt) / 1000.0, compileNanos / 1e9, testNanos / 1e9);
            compileNanos = 0;
        }

        void printProgress(Session session, List<String> exercises) {
            Progress progress = Progress.read(session.module().moduleDirectory().resolve("target"));
            for (String id : exercises) {
                Optional<Exercise> exercise = session.module().find(id);
                if (progress.isSolved(id)) {
                    out.println("   " + id + " is solved.");
                } else {
                    progress.firstFailure(id).map(ProgressReport::why).ifPresent(why -> {
                        out.println("   " + id + " why:");
                        why.strip().lines().limit(8).forEach(l -> out.println("      " + l));
                    });
                    exercise.ifPresent(e -> out.println("   read " + e.readmeLink() + "   (hint: ./workshop hint " + id
                            + ")"));
                }
            }
            int solved = 0;
            int total = 0;
            String moduleLine = "";
            for (ExerciseCatalog module : ExerciseCatalog.allModules(root)) {
                Progress p = Progress.read(module.moduleDirectory().resolve("target"));
                long done = module.exercises().stream().filter(e -> p.isSolved(e.id())).count();
                solved += (int) done;
                total += module.exercises().size();
                if (module.moduleName().equals(session.module().moduleName())) {
                    moduleLine = module.moduleName() + " " + done + "/" + module.exercises().size();
                }
            }
            out.println("   progress: " + moduleLine + ", workshop " + solved + "/" + total
                    + nextUnsolved().map(n -> ", next " + n).orElse(", every exercise solved"));
        }

        private Optional<String> nextUnsolved() {
            for (Session session : sessions.values()) {
                Progress p = Progress.read(session.module().moduleDirectory().resolve("target"));
                Optional<Exercise> next = session.module().exercises().stream().filter(e -> !p.isSolved(e.id()))
                        .findFirst();
                if (next.isPresent()) {
                    return next.map(Exercise::id);
                }
            }
            return Optional.empty();
        }

        private Optional<Session> sessionOf(String exerciseId) {
            return sessions.values().stream().filter(s -> s.module().find(exerciseId).isPresent()).findFirst();
        }
    }

    /** One watched module: its compiler, its test index, its worker JVM. */
    static final class Session implements AutoCloseable {
        private final Path root;
        private final ExerciseCatalog module;
        private final ModuleCompiler compiler;
        private final Path java;
        private final List<Path> classPath;
        private final List<String> jvmOptions;
        private TestIndex index;
        private WorkerProcess worker;

        private Session(Path root, ExerciseCatalog module, Path java, List<Path> classPath, List<String> jvmOptions)
                throws IOException {
            this.root = root;
            this.module = module;
            this.java = java;
            this.classPath = classPath;
            this.jvmOptions = jvmOptions;
            this.compiler = new ModuleCompiler(root, module.moduleDirectory(), classPath);
            this.index = TestIndex.of(compiler.testClasses());
        }

        /** Loads and warms javac in the background, so that the first compile after a save is fast. */
        void warmUpCompiler() {
            module.exercises().stream().map(e -> module.moduleDirectory().resolve(e.source()))
                    .filter(f -> f.toString().endsWith(".java") && f.startsWith(compiler.mainSources())).findFirst()
                    .ifPresent(f -> Thread.ofPlatform().daemon().name("workshop-javac-warm-up")
                            .start(() -> compiler.warmUp(f)));
        }

        static Optional<Session> open(Path root, ExerciseCatalog module, PrintStream out) throws IOException {
            Path folder = LaunchInfo.folder(module.moduleDirectory());
            if (!Files.isRegularFile(folder.resolve(LaunchInfo.CLASS_PATH))) {
                out.println("workshop watch: " + module.moduleName() + " has not been built for the loop yet (no "
                        + root.relativize(folder.resolve(LaunchInfo.CLASS_PATH)).toString().replace('\\', '/')
                        + "). Start the watcher with ./workshop watch (workshop.cmd watch on Windows): it builds first.");
                return Optional.empty();
            }
            return Optional.of(new Session(root, module, LaunchInfo.java(module.moduleDirectory()),
                    LaunchInfo.classPath(module.moduleDirectory()), LaunchInfo.jvmOptions(module.moduleDirectory())));
        }

        ExerciseCatalog module() {
            return module;
        }

        void startWorker() throws IOException {
            if (worker == null || !worker.isAlive()) {
                worker = WorkerProcess.start(module.moduleDirectory(), java, classPath, jvmOptions);
            }
        }

        /**
         * Compiles what Maven could not (a file that did not compile when the watcher started); false, after printing
         * javac's errors, when it still does not compile.
         */
        boolean compileStale(PrintStream out) throws IOException {
            List<Path> stale = compiler.staleSources();
            if (stale.isEmpty()) {
                return true;
            }
            ModuleCompiler.Result result = compiler.compile(stale);
            index = TestIndex.of(compiler.testClasses());
            if (!result.ok()) {
                out.print(result.errors());
                out.println("   " + module.moduleName() + " does not compile yet: fix the error above and save; the "
                        + "first check waits for it.");
            }
            return result.ok();
        }

        /** Compiles the saved files, with every source whose classes are missing or older (a build that failed). */
        ModuleCompiler.Result compile(List<Path> files) throws IOException {
            java.util.LinkedHashSet<Path> all = new java.util.LinkedHashSet<>(files);
            all.addAll(compiler.staleSources());
            ModuleCompiler.Result result = compiler.compile(List.copyOf(all));
            if (result.ok() && (result.wholeModule() || files.stream().anyMatch(f -> f.startsWith(compiler.testSources())))) {
                index = TestIndex.of(compiler.testClasses());
            }
            return result;
        }

        /**
         * The exercises a save concerns: those the files declare (of a type built in steps: the solved steps and the
         * first unsolved one), else those whose tests use the files' classes.
         */
        List<String> exercisesFor(List<Path> files) {
            Progress progress = Progress.read(module.moduleDirectory().resolve("target"));
            Set<String> ids = new TreeSet<>(Exercise::compareIds);
            for (Path file : files) {
                List<Exercise> declared = module.exercises().stream()
                        .filter(e -> module.moduleDirectory().resolve(e.source()).normalize().equals(file.normalize()))
                        .toList();
                if (!declared.isEmpty()) {
                    for (Exercise e : declared) {
                        ids.add(e.id());
                        if (!progress.isSolved(e.id())) {
                            break;
                        }
                    }
                    continue;
                }
                for (Path sources : List.of(compiler.mainSources(), compiler.testSources())) {
                    if (file.startsWith(sources) && file.toString().endsWith(".java")) {
                        String internal = sources.relativize(file).toString().replace('\\', '/')
                                .replaceAll("\\.java$", "");
                        ids.addAll(index.exercisesUsing(internal));
                    }
                }
            }
            return List.copyOf(ids);
        }

        /** Runs the exercises' tests in the worker and prints what it says; replaces the worker when it must. */
        Check.Verdict check(List<String> exercises, long savedAt, PrintStream out) throws Exception {
            startWorker();
            if (!worker.awaitReady(Patience.scaled(READY_LIMIT), line -> out.println("    | " + line))) {
                out.println("   the test JVM did not start: see its output above. Trying a new one on the next save.");
                closeWorker();
                return Check.Verdict.NONE;
            }
            String tags = String.join(" | ", exercises);
            WorkerProcess.Outcome outcome = worker.check(tags, Patience.scaled(CHECK_LIMIT),
                    line -> out.println(line.startsWith(ExerciseTests.PROTOCOL) ? protocolLine(line) : "    | " + line));
            return switch (outcome) {
                case WorkerProcess.Outcome.Done done -> {
                    if (!done.leftover().isEmpty()) {
                        out.println("   threads this check started are still running (" + done.leftover() + "): a "
                                + "stuck or leaked thread cannot be stopped, so the next check gets a fresh JVM.");
                        replaceWorker();
                    }
                    yield done.failed() == 0 ? Check.Verdict.GREEN : Check.Verdict.RED;
                }
                case WorkerProcess.Outcome.Ended ended -> {
                    out.println("   the code under test ended the test JVM"
                            + (ended.where().isEmpty() ? " without a word (Runtime.halt, or a crash)"
                            : ": System.exit was called at " + ended.where())
                            + (ended.exitCode() >= 0 ? " (exit code " + ended.exitCode() + ")" : "")
                            + ". No verdict: a test must never end the JVM. Starting a fresh test JVM.");
                    replaceWorker();
                    yield Check.Verdict.NONE;
                }
                case WorkerProcess.Outcome.Stuck stuck -> {
                    out.println("   no verdict after " + stuck.limit().toSeconds() + " s: the test JVM is stuck past "
                            + "every time limit (an infinite loop or deadlock outside any test?). Starting a fresh one.");
                    replaceWorker();
                    yield Check.Verdict.NONE;
                }
            };
        }

        private String protocolLine(String line) {
            String[] f = line.substring(ExerciseTests.PROTOCOL.length()).split("\t", -1);
            return switch (f[0]) {
                case "class" -> LearnerRun.classLine(f);
                case "planned" -> f[1].equals("0") ? "   no test of it ran: is every test class of the module "
                        + "compiled? (a compile error above?)" : "   running " + f[1] + " tests";
                default -> "    | " + line;
            };
        }

        private void replaceWorker() throws IOException {
            closeWorker();
            startWorker(); // warms up now, ready for the next save
        }

        private void closeWorker() {
            if (worker != null) {
                worker.close();
                worker = null;
            }
        }

        @Override
        public void close() {
            closeWorker();
        }
    }

    /** What a check said. */
    static final class Check {
        enum Verdict { GREEN, RED, NONE }

        private Check() {
        }
    }
}
