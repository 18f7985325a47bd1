package workshop.support.loop;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;
import workshop.support.progress.ExerciseTests;
import workshop.support.progress.LearnerRun;
import workshop.support.progress.Progress;
import workshop.support.testing.Patience;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One watched module: its compiler, its test index, its worker JVM. */
final class WatchSession implements AutoCloseable {

    /** What a check said: green, red, or nothing (the JVM ended or got stuck: no verdict). */
    enum Verdict { GREEN, RED, NONE }

    private final ExerciseCatalog module;
    private final ModuleCompiler compiler;
    private final Path java;
    private final List<Path> classPath;
    private final List<String> jvmOptions;
    private TestIndex index;
    private WorkerProcess worker;

    private WatchSession(Path root, ExerciseCatalog module, Path java, List<Path> classPath, List<String> jvmOptions)
            throws IOException {
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

    static Optional<WatchSession> open(Path root, ExerciseCatalog module, PrintStream out) throws IOException {
        Path folder = LaunchInfo.folder(module.moduleDirectory());
        if (!Files.isRegularFile(folder.resolve(LaunchInfo.CLASS_PATH))) {
            out.println("workshop watch: " + module.moduleName() + " has not been built for the loop yet (no "
                    + root.relativize(folder.resolve(LaunchInfo.CLASS_PATH)).toString().replace('\\', '/')
                    + "). Start the watcher with ./workshop watch (workshop.cmd watch on Windows): it builds first.");
            return Optional.empty();
        }
        return Optional.of(new WatchSession(root, module, LaunchInfo.java(module.moduleDirectory()),
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
    Verdict check(List<String> exercises, long savedAt, PrintStream out) throws Exception {
        startWorker();
        if (!worker.awaitReady(Patience.scaled(Watch.READY_LIMIT), line -> out.println("    | " + line))) {
            out.println("   the test JVM did not start: see its output above. Trying a new one on the next save.");
            closeWorker();
            return Verdict.NONE;
        }
        String tags = String.join(" | ", exercises);
        WorkerProcess.Outcome outcome = worker.check(tags, Patience.scaled(Watch.CHECK_LIMIT),
                line -> out.println(line.startsWith(ExerciseTests.PROTOCOL) ? protocolLine(line) : "    | " + line));
        return switch (outcome) {
            case WorkerProcess.Outcome.Done done -> {
                if (!done.leftover().isEmpty()) {
                    out.println("   threads this check started are still running (" + done.leftover() + "): a "
                            + "stuck or leaked thread cannot be stopped, so the next check gets a fresh JVM.");
                    replaceWorker();
                }
                yield done.failed() == 0 ? Verdict.GREEN : Verdict.RED;
            }
            case WorkerProcess.Outcome.Ended ended -> {
                out.println("   the code under test ended the test JVM"
                        + (ended.where().isEmpty() ? " without a word (Runtime.halt, or a crash)"
                        : ": System.exit was called at " + ended.where())
                        + (ended.exitCode() >= 0 ? " (exit code " + ended.exitCode() + ")" : "")
                        + ". No verdict: a test must never end the JVM. Starting a fresh test JVM.");
                replaceWorker();
                yield Verdict.NONE;
            }
            case WorkerProcess.Outcome.Stuck stuck -> {
                out.println("   no verdict after " + stuck.limit().toSeconds() + " s: the test JVM is stuck past "
                        + "every time limit (an infinite loop or deadlock outside any test?). Starting a fresh one.");
                replaceWorker();
                yield Verdict.NONE;
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
