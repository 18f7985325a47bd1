package workshop.support.progress;

import workshop.support.exercise.ExerciseCatalog;
import workshop.support.testing.Patience;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A learner's {@code ./mvnw test}, one exercise module at a time: runs the module's tests in a test JVM of its own
 * ({@link ExerciseTests}), prints a line per exercise as its tests finish, then the module's count, and, after the last
 * exercise module of the build, the workshop's progress box with the next exercise: the last thing the build prints
 * that a learner needs to read. A red test does not fail the build (the box is the verdict), unless
 * {@code -Dworkshop.strict=true} (CI), which fails it on any failing test.
 *
 * <p>It survives what a learner's code can do to a test JVM: {@code System.exit}, a crash, a deadlock past every time
 * limit. It then says so, and the box still comes.
 *
 * <p>Usage (the exercise modules' {@code exercises} execution): {@code LearnerRun <module folder> <test-classes>
 * <reactor projects> <build id> <groups> <test> <strict> <skipTests> <maven.test.skip> <JVM options>}; unset Maven
 * properties arrive as {@code ${name}} and count as empty.
 */
public final class LearnerRun {

    /** The file, in the build folder, that names the build that last ran the module's tests. */
    static final String BUILD_MARKER = "workshop-build.txt";

    /** How long a module's test JVM may run in all before it is ended (times {@code workshop.timeScale}). */
    static final Duration WHOLE_RUN_LIMIT = Duration.ofMinutes(20);

    private static final Pattern POM = Pattern.compile("@ (.+?)[/\\\\]pom\\.xml");

    private LearnerRun() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs as {@link #main} does, printing to {@code out}; returns the exit status (non-zero only when strict). */
    static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        Path module = Path.of(args[0]).toAbsolutePath().normalize();
        Path testClasses = Path.of(args[1]).toAbsolutePath();
        String reactor = value(args[2]);
        String buildId = value(args[3]);
        String groups = value(args[4]);
        String test = value(args[5]);
        boolean strict = Boolean.parseBoolean(value(args[6]));
        boolean skip = Boolean.parseBoolean(value(args[7])) || Boolean.parseBoolean(value(args[8]));
        List<String> jvmOptions = args.length > 9 ? Arrays.stream(value(args[9]).split("\\s+"))
                .filter(s -> !s.isBlank()).toList() : List.of();
        if (skip) {
            return 0;
        }
        ExerciseCatalog catalog = ExerciseCatalog.of(module);
        Path build = testClasses.getParent();
        Files.writeString(build.resolve(BUILD_MARKER), buildId);

        Result result = Files.isDirectory(testClasses)
                ? runTests(catalog, testClasses, groups, test, jvmOptions, out)
                : new Result(0, 0, true, "");
        Progress progress = Progress.read(build);
        long solved = catalog.exercises().stream().filter(e -> progress.isSolved(e.id())).count();
        Path root = module.getParent();
        out.printf(Locale.ROOT, "%s: %d of %d exercises solved%s%n", catalog.moduleName(), solved,
                catalog.exercises().size(), result.failed() == 0 ? ""
                        : "; every failure in full: " + root.relativize(build.resolve(ExerciseTests.REPORT))
                                .toString().replace('\\', '/'));

        List<Path> exerciseModules = exerciseModules(reactor, root);
        if (exerciseModules.isEmpty() || exerciseModules.getLast().equals(module)) {
            Set<String> notRun = new LinkedHashSet<>();
            Path relativeBuild = module.relativize(build);
            for (Path other : exerciseModules) {
                Path marker = other.resolve(relativeBuild).resolve(BUILD_MARKER);
                if (!other.equals(module) && !(Files.isRegularFile(marker) && Files.readString(marker).equals(buildId))) {
                    notRun.add(other.getFileName().toString());
                }
            }
            if (!result.finished()) {
                notRun.add(catalog.moduleName());
            }
            out.println(ProgressReport.render(root, relativeBuild.toString().replace('\\', '/'),
                    Map.of(catalog.moduleName(), progress), notRun));
        }
        if (strict && (result.failed() > 0 || !result.finished())) {
            out.println("workshop.strict: " + result.failed() + " tests failed"
                    + (result.finished() ? "" : ", and the test JVM did not finish"));
            return 1;
        }
        return 0;
    }

    private record Result(int planned, int failed, boolean finished, String ending) {
    }

    /** Starts the test JVM, relays what it reports, and says how it ended. */
    private static Result runTests(ExerciseCatalog catalog, Path testClasses, String groups, String test,
                                   List<String> jvmOptions, PrintStream out)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-preview", "-Dworkshop.build=maven",
                "-Dworkshop.timeScale=" + System.getProperty("workshop.timeScale", "1")));
        command.addAll(jvmOptions);
        // the module's own classes first (Maven puts them on this JVM's class path too; a test's fake module may not)
        String classPath = String.join(File.pathSeparator, testClasses.toString(),
                testClasses.resolveSibling("classes").toString(), System.getProperty("java.class.path"));
        command.addAll(List.of("-cp", classPath, ExerciseTests.class.getName(),
                testClasses.toString(), groups, test));
        Process tests = new ProcessBuilder(command).redirectErrorStream(true).start();
        // the tests' own time limits end a stuck test; this only ends a test JVM that is stuck past all of them
        Duration limit = Patience.scaled(WHOLE_RUN_LIMIT);
        Thread.ofVirtual().name("workshop-test-jvm-watchdog").start(() -> {
            try {
                if (!tests.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    tests.descendants().forEach(ProcessHandle::destroyForcibly);
                    tests.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Map<String, String> titles = new HashMap<>();
        catalog.exercises().forEach(e -> titles.put(e.id(), e.title()));
        int planned = 0;
        int failed = -1;
        JvmCrash crash = new JvmCrash();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(tests.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.startsWith(ExerciseTests.PROTOCOL)) {
                    crash.read(line);
                    out.println("    | " + line); // what the tests (or the learner's code) printed
                    continue;
                }
                String[] f = line.substring(ExerciseTests.PROTOCOL.length()).split("\t", -1);
                switch (f[0]) {
                    case "planned" -> {
                        planned = Integer.parseInt(f[1]);
                        out.println(planned == 0 ? catalog.moduleName() + ": no test selected"
                                : catalog.moduleName() + ": running " + planned + " tests");
                    }
                    case "class" -> out.println(classLine(f));
                    case "done" -> failed = Integer.parseInt(f[1]);
                    default -> out.println("    | " + line);
                }
                out.flush();
            }
        }
        int exit = tests.waitFor();
        if (failed < 0) {
            out.println(crash.happened() ? crash.explain(exit)
                    : "  The test JVM ended before its tests did (exit code " + exit + "): System.exit or "
                      + "Runtime.halt in the code under test? The exercises of this module keep the results of their "
                      + "last complete run.");
            return new Result(planned, 0, false, "exit " + exit);
        }
        return new Result(planned, failed, true, "");
    }

    /** Recognises the JVM's own fatal-error report among what the test JVM printed, and says what it means. */
    static final class JvmCrash {
        private boolean happened;
        private boolean nextIsFrame;
        private String frame = "";
        private String report = "";

        void read(String line) {
            if (line.startsWith("# A fatal error has been detected by the Java Runtime Environment")) {
                happened = true;
            } else if (happened && line.startsWith("# Problematic frame:")) {
                nextIsFrame = true;
            } else if (nextIsFrame) {
                frame = line.replaceFirst("^#\\s*", "").strip();
                nextIsFrame = false;
            } else if (happened && line.contains("hs_err_pid")) {
                report = line.replaceFirst("^#\\s*", "").strip();
            }
        }

        boolean happened() {
            return happened;
        }

        private boolean reportMentions(String text) {
            try {
                Path file = Path.of(report);
                return !report.isEmpty() && Files.isRegularFile(file) && Files.readString(file).contains(text);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        String explain(int exit) {
            String text = "  The test JVM crashed (exit code " + exit + (frame.isEmpty() ? "" : ", in " + frame) + ")"
                    + (report.isEmpty() ? "" : "; the JVM's report: " + report) + ".";
            if (frame.contains("ThreadSnapshot") || reportMentions("GetThreadSnapshotClosure")) {
                text += "\n  This is a known bug of JDK 25 (JDK-8364343): a thread dump taken while very many virtual "
                        + "threads start or end can crash the JVM, and the leak detector takes one after every test. "
                        + "It usually means that the code under test returned while a great many threads it started "
                        + "were still running. See module-01-goroutines/README.md, section 8 (Gotchas).";
            }
            return text + "\n  The exercises of this module keep the results of their last complete run.";
        }
    }

    /**
     * {@code   [ ] 01.3 WaitGroup with Go's semantics ........ 2 of 8 passed   0.2 s}, from the fields of a
     * {@code class} line of {@link ExerciseTests}'s protocol (the first field is the line's kind).
     */
    public static String classLine(String[] f) {
        int passed = Integer.parseInt(f[3]);
        int total = Integer.parseInt(f[4]);
        double seconds = Long.parseLong(f[5]) / 1000.0;
        String wholeClass = f.length > 6 ? f[6] : "";
        boolean ok = passed == total && wholeClass.isEmpty();
        String name = f[2];
        String dots = name.length() < 52 ? " " + ".".repeat(52 - name.length()) : "";
        String outcome = !wholeClass.isEmpty() && total == 0 ? "failed before its tests ran: " + wholeClass
                : passed == total && total > 0 ? "all " + total + " passed" : passed + " of " + total + " passed";
        return String.format(Locale.ROOT, "  [%s] %s%s %s  %.1f s", ok ? "x" : " ", name, dots, outcome, seconds);
    }

    /** The exercise modules of this build, in build order, from Maven's list of its projects. */
    static List<Path> exerciseModules(String reactor, Path root) {
        List<Path> modules = new ArrayList<>();
        Matcher pom = POM.matcher(reactor);
        while (pom.find()) {
            Path dir = Path.of(pom.group(1)).toAbsolutePath().normalize();
            if (dir.getFileName() != null && dir.getFileName().toString().matches("module-\\d\\d-.+")
                    && !ExerciseCatalog.of(dir).exercises().isEmpty()) {
                modules.add(dir);
            }
        }
        return modules;
    }

    /** A Maven property that was not set arrives as its own expression, {@code ${name}}: that means empty. */
    static String value(String argument) {
        return argument == null || argument.startsWith("${") ? "" : argument.strip();
    }

}
