package workshop.support.loop;

import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;
import workshop.support.progress.Progress;
import workshop.support.progress.ProgressReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The loop: wait for saved files, compile, check, print. */
final class Watcher {
    private final Path root;
    private final PrintStream out;
    private final Map<Path, WatchSession> sessions;
    private final Optional<String> focus;
    private List<String> lastChecked = List.of();
    private long compileNanos;

    Watcher(Path root, PrintStream out, Map<Path, WatchSession> sessions, Optional<String> focus) {
        this.root = root;
        this.out = out;
        this.sessions = sessions;
        this.focus = focus;
    }

    int watch() throws Exception {
        WatchSession first = sessions.values().iterator().next();
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
        for (WatchSession session : sessions.values()) {
            compiles &= session.compileStale(out);
        }
        if (!firstCheck.isEmpty() && compiles) {
            WatchSession s = first;
            header("start", firstCheck, s);
            check(s, firstCheck, System.currentTimeMillis());
        }
        first.warmUpCompiler(); // after the first check: the two would share the CPU
        while (true) {
            SourcePoller.Batch batch = poller.next();
            for (WatchSession session : sessions.values()) {
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

    private void onSaved(WatchSession session, List<Path> files, long savedAt) throws Exception {
        String names = String.join(", ", files.stream().map(f -> f.getFileName().toString()).sorted().toList());
        long start = System.nanoTime();
        ModuleCompiler.Result compiled = session.compile(files);
        compileNanos = System.nanoTime() - start;
        List<String> exercises = focus.isPresent() ? List.of(focus.get()) : session.exercisesFor(files);
        if (exercises.isEmpty() && !lastChecked.isEmpty() && sessionOf(lastChecked.getFirst()).orElse(null) == session) {
            exercises = lastChecked;
        }
        out.println();
        out.println("-- " + LocalTime.now().format(Watch.CLOCK) + "  saved " + names
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

    private void header(String why, List<String> exercises, WatchSession session) {
        out.println();
        out.println("-- " + LocalTime.now().format(Watch.CLOCK) + "  " + why + "  ->  " + describe(session, exercises));
    }

    private static String describe(WatchSession session, List<String> exercises) {
        return exercises.size() == 1 ? exercises.getFirst() + " " + session.module().find(exercises.getFirst())
                .map(Exercise::title).orElse("") : String.join(", ", exercises);
    }

    private void check(WatchSession session, List<String> exercises, long savedAt) throws Exception {
        lastChecked = exercises;
        long start = System.nanoTime();
        WatchSession.Verdict verdict = session.check(exercises, savedAt, out);
        long testNanos = System.nanoTime() - start;
        if (verdict != WatchSession.Verdict.NONE) {
            printProgress(session, exercises);
        }
        out.printf(Locale.ROOT, "   verdict %.2f s after the save (compile %.2f s, tests %.2f s)%n",
                (System.currentTimeMillis() - savedAt) / 1000.0, compileNanos / 1e9, testNanos / 1e9);
        compileNanos = 0;
    }

    void printProgress(WatchSession session, List<String> exercises) {
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
        for (WatchSession session : sessions.values()) {
            Progress p = Progress.read(session.module().moduleDirectory().resolve("target"));
            Optional<Exercise> next = session.module().exercises().stream().filter(e -> !p.isSolved(e.id()))
                    .findFirst();
            if (next.isPresent()) {
                return next.map(Exercise::id);
            }
        }
        return Optional.empty();
    }

    private Optional<WatchSession> sessionOf(String exerciseId) {
        return sessions.values().stream().filter(s -> s.module().find(exerciseId).isPresent()).findFirst();
    }
}
