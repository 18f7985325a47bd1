package workshop.support.wrong;

import workshop.support.testing.Patience;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The wrong-answers check: proves, for every known-bad fixture of a module ({@link WrongAnswer}), that the exercise's
 * tests reject it with the failure it should teach. For each one it compiles the reference sources with the wrong
 * answer's files in their place, runs only that exercise's tests against the result in a fresh JVM
 * ({@link WrongAnswerRun}), and judges the outcome ({@link #judge}). A wrong answer may also change a test (a diff
 * path under {@code src/test/java/}, for an exercise whose answer is a test): that file of the reference's tests
 * ({@code solution-test-sources}, beside the reference sources) is patched, compiled, and put before the test classes.
 * A file of the sources that is not Java (06.21's Kubernetes manifest, which a module's build copies from its sources
 * onto the classpath) is copied beside the compiled classes, patched as the answer has it.
 *
 * <p>Usage (the {@code wrong-answers} profile, with {@code solutions}): {@code WrongAnswerCheck <module folder>
 * <reference sources> <reference classes> <test-classes> [<JVM options of the test JVM>]}; exits 0 when every wrong
 * answer is rejected as it should be, 1 otherwise.
 *
 * <p>A verdict that is a defect is checked once more ({@link #settle}): when the second run judges the answer as it
 * should, the answer passes but is reported as flaky, with the first run's defect, so that a test which catches a
 * wrong answer only most of the time is seen and fixed, without failing the build on one unlucky schedule. A defect
 * that is not about the tests' outcome (the answer does not apply or does not compile) is not checked again.
 */
public final class WrongAnswerCheck {

    /** How long one wrong answer may take, compile and tests (times {@code workshop.timeScale}). */
    static final Duration PER_WRONG_ANSWER = Duration.ofMinutes(5);

    private WrongAnswerCheck() {
    }

    /**
     * One wrong answer's verdict: empty defect when the exercise's tests rejected it as they should. {@code flaky}
     * holds the defect of a first run that a second run did not repeat.
     */
    public record Verdict(WrongAnswer wrongAnswer, Duration took, String evidence, Optional<String> defect,
                          Optional<String> flaky) {
        public Verdict(WrongAnswer wrongAnswer, Duration took, String evidence, Optional<String> defect) {
            this(wrongAnswer, took, evidence, defect, Optional.empty());
        }
    }

    /** Something that judges a wrong answer once more. */
    @FunctionalInterface
    interface Recheck {
        Verdict run() throws IOException, InterruptedException;
    }

    /**
     * The verdict that stands: {@code first} when it is no defect, or a defect about the answer itself (it does not
     * apply or compile); otherwise the second run's verdict, marked flaky when the second run found no defect.
     */
    static Verdict settle(Verdict first, Recheck again) throws IOException, InterruptedException {
        if (first.defect().isEmpty() || first.defect().get().startsWith("does not")) {
            return first;
        }
        Verdict second = again.run();
        if (second.defect().isPresent()) {
            return second;
        }
        return new Verdict(second.wrongAnswer(), first.took().plus(second.took()), second.evidence(), Optional.empty(),
                first.defect());
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(args[0]).toAbsolutePath();
        Path sources = Path.of(args[1]).toAbsolutePath();
        Path classes = Path.of(args[2]).toAbsolutePath();
        Path testClasses = Path.of(args[3]).toAbsolutePath();
        List<String> jvmOptions = args.length > 4 ? Arrays.stream(args[4].trim().split("\\s+"))
                .filter(s -> !s.isBlank()).toList() : List.of();
        if (!sources.getFileName().toString().equals("solution-sources")) {
            System.out.println("The wrong-answers check runs against the reference solutions: "
                    + "./mvnw verify -Psolutions,wrong-answers -DskipTests");
            System.exit(1);
        }
        List<WrongAnswer> wrongAnswers = new ArrayList<>(WrongAnswer.findAll(WrongAnswer.folderOf(module.getParent(),
                module.getFileName().toString())));
        wrongAnswers.addAll(WrongAnswer.findAll(WrongAnswer.rightFolderOf(module.getParent(),
                module.getFileName().toString())));
        // -Dworkshop.only=06.10,06.11-thread-per-job : only the answers whose names start so (while writing them)
        List<String> only = Arrays.stream(System.getProperty("workshop.only", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (!only.isEmpty()) {
            wrongAnswers.removeIf(answer -> only.stream().noneMatch(answer.name()::startsWith));
            System.out.println("  only the answers named " + only + ": " + wrongAnswers.size());
        }
        Path work = module.resolve("target").resolve("wrong-answers");
        List<String> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().equals(classes)
                        && !Path.of(entry).toAbsolutePath().equals(testClasses))
                .toList();
        List<Verdict> verdicts = new ArrayList<>();
        for (WrongAnswer wrongAnswer : wrongAnswers) {
            System.out.printf("  checking %s (%s) ...%n", wrongAnswer.name(), wrongAnswer.what());
            Verdict first = check(wrongAnswer, sources, testClasses, classPath, jvmOptions, work);
            Verdict verdict = settle(first, () -> {
                System.out.println("    first run: " + line(first));
                System.out.println("    checking it once more ...");
                return check(wrongAnswer, sources, testClasses, classPath, jvmOptions, work);
            });
            System.out.println("    " + line(verdict));
            verdicts.add(verdict);
        }
        System.out.println(report(module.getFileName().toString(), verdicts));
        System.exit(verdicts.stream().allMatch(v -> v.defect().isEmpty()) ? 0 : 1);
    }

    /** Compiles the wrong answer over the reference sources, runs its exercise's tests in a fresh JVM, judges. */
    static Verdict check(WrongAnswer wrongAnswer, Path referenceSources, Path testClasses, List<String> classPath,
                         List<String> jvmOptions, Path work) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path dir = work.resolve(wrongAnswer.name().replace('/', '-'));
        deleteRecursively(dir);
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Path referenceTests = referenceSources.resolveSibling("solution-test-sources");
        Path testSrc = dir.resolve("test-src");
        Path testOverlay = dir.resolve("test-classes");
        copyTree(referenceSources, src);
        if (Files.isDirectory(wrongAnswer.sourceRoot())) {
            copyTree(wrongAnswer.sourceRoot(), src);
        }
        if (Files.isDirectory(referenceTests)) {
            copyTree(referenceTests, testSrc);
        }
        List<Path> changedTests = new ArrayList<>();
        try {
            for (Path diff : wrongAnswer.diffs()) {
                changedTests.addAll(Patch.apply(diff, src, Files.isDirectory(testSrc) ? testSrc : null));
            }
        } catch (IllegalArgumentException e) {
            return new Verdict(wrongAnswer, since(start), "", Optional.of("does not apply: " + e.getMessage()));
        }
        Optional<String> compileErrors = compile(src, all(src), classes, classPath);
        if (compileErrors.isEmpty() && !changedTests.isEmpty()) {
            List<String> testClassPath = new ArrayList<>(List.of(classes.toString(), testClasses.toString()));
            testClassPath.addAll(classPath);
            compileErrors = compile(testSrc, changedTests.stream().distinct().map(testSrc::resolve).toList(),
                    testOverlay, testClassPath).map(errors -> "(tests) " + errors);
        }
        if (compileErrors.isPresent()) {
            return new Verdict(wrongAnswer, since(start), "", Optional.of("does not compile: " + compileErrors.get()));
        }
        copyResources(src, classes);
        Path outcomeFile = dir.resolve("outcome.properties");
        Path log = dir.resolve("tests.log");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "--enable-preview", "-Dworkshop.build=maven",
                "-Dworkshop.progress=off", "-Dworkshop.timeScale=" + System.getProperty("workshop.timeScale", "1")));
        command.addAll(jvmOptions);
        List<String> childClassPath = new ArrayList<>(List.of(classes.toString()));
        if (!changedTests.isEmpty()) {
            childClassPath.add(testOverlay.toString()); // the changed tests, before the reference's
        }
        childClassPath.add(testClasses.toString());
        childClassPath.addAll(classPath);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, childClassPath),
                WrongAnswerRun.class.getName(), wrongAnswer.tests(), testClasses.toString(), outcomeFile.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Duration limit = Patience.scaled(PER_WRONG_ANSWER);
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            return new Verdict(wrongAnswer, since(start), "", Optional.of("its tests did not finish within "
                    + limit.toMinutes() + " min (log: " + log + ")"));
        }
        if (!Files.isRegularFile(outcomeFile)) {
            return new Verdict(wrongAnswer, since(start), "", Optional.of("the test JVM ended with exit code "
                    + process.exitValue() + " and no outcome: it crashed, or the wrong answer ended it (log: "
                    + log + ")"));
        }
        return judge(wrongAnswer, WrongAnswerRun.Outcome.read(outcomeFile), since(start));
    }

    /**
     * Rejected as it should be: its exercise's tests ran, at least one failed, and some failure says what the wrong
     * answer's {@code expect} says it must.
     */
    static Verdict judge(WrongAnswer wrongAnswer, WrongAnswerRun.Outcome outcome, Duration took) {
        if (outcome.tests() == 0) {
            return new Verdict(wrongAnswer, took, "", Optional.of("no test tagged " + wrongAnswer.exercise() + " ran"));
        }
        if (wrongAnswer.right()) {
            return outcome.failures().isEmpty()
                    ? new Verdict(wrongAnswer, took, "all " + outcome.tests() + " tests passed", Optional.empty())
                    : new Verdict(wrongAnswer, took, "", Optional.of("REJECTED A RIGHT ANSWER (" + wrongAnswer.what()
                            + "): " + firstLine(outcome.failures().getFirst())));
        }
        if (outcome.failures().isEmpty()) {
            return new Verdict(wrongAnswer, took, "", Optional.of("SURVIVED: all " + outcome.tests() + " tests of "
                    + wrongAnswer.exercise() + " passed against it, so they do not catch: " + wrongAnswer.what()));
        }
        Optional<String> saying = outcome.failures().stream().filter(f -> f.contains(wrongAnswer.expect())).findFirst();
        if (saying.isEmpty()) {
            return new Verdict(wrongAnswer, took, firstLine(outcome.failures().getFirst()), Optional.of(
                    "rejected, but no failure says \"" + wrongAnswer.expect() + "\"; the first failure says: "
                            + firstLine(outcome.failures().getFirst())));
        }
        return new Verdict(wrongAnswer, took, firstLine(saying.get()), Optional.empty());
    }

    static String report(String module, List<Verdict> verdicts) {
        StringBuilder out = new StringBuilder("\nWrong (and right) answers of ").append(module).append('\n');
        verdicts.forEach(v -> out.append("  ").append(line(v)).append('\n'));
        verdicts.stream().filter(v -> v.flaky().isPresent()).forEach(v -> out.append("  FLAKY   ")
                .append(v.wrongAnswer().name()).append(": judged right only on a second run; the first said: ")
                .append(v.flaky().get()).append('\n'));
        long defects = verdicts.stream().filter(v -> v.defect().isPresent()).count();
        long right = verdicts.stream().filter(v -> v.wrongAnswer().right()).count();
        long flaky = verdicts.stream().filter(v -> v.flaky().isPresent()).count();
        out.append(String.format(Locale.ROOT, "%s: %d wrong answers and %d right answers, %d judged as they should be, "
                        + "%d defects%s%n", defects == 0 ? "WRONG ANSWERS CHECK PASSED" : "WRONG ANSWERS CHECK FAILED",
                verdicts.size() - right, right, verdicts.size() - defects, defects,
                flaky == 0 ? "" : ", " + flaky + " flaky (judged right only on a second run: fix their tests)"));
        return out.toString();
    }

    private static String line(Verdict v) {
        return String.format(Locale.ROOT, "%-7s %-40s %6.1f s  %s", v.defect().isEmpty() ? "ok" : "DEFECT",
                v.wrongAnswer().name(), v.took().toMillis() / 1000.0,
                v.defect().orElse((v.wrongAnswer().right() ? "accepted: " : "rejected: ") + v.evidence()));
    }

    private static List<Path> all(Path src) throws IOException {
        try (Stream<Path> walk = Files.walk(src)) {
            return walk.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    private static Optional<String> compile(Path src, List<Path> files, Path classes, List<String> classPath)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return Optional.of("no Java compiler in this JVM (" + System.getProperty("java.home") + "): run it on a JDK");
        }
        Files.createDirectories(classes);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("--release", "25", "--enable-preview", "-Xlint:-preview", "-proc:none",
                    "-nowarn", "-d", classes.toString(), "-cp", String.join(File.pathSeparator, classPath));
            boolean ok = javac.getTask(new StringWriter(), fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            if (ok) {
                return Optional.empty();
            }
        }
        return Optional.of(diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> (d.getSource() == null ? "" : src.relativize(Path.of(d.getSource().toUri())) + ":"
                        + d.getLineNumber() + ": ") + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("; ")));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Copies the files of {@code src} that are not Java into {@code classes}: the answer's resources. */
    static void copyResources(Path src, Path classes) throws IOException {
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path source : (Iterable<Path>) walk.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith(".java"))::iterator) {
                Path target = classes.resolve(src.relativize(source).toString());
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
