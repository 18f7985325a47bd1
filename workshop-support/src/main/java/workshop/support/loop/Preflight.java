package workshop.support.loop;

import workshop.support.doctor.Doctor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./workshop preflight}: what a learner runs the day before, so that the morning starts with the first
 * exercise and not with installing things. It checks the JDK this command runs in (the one the scripts found: a
 * JDK 25 with preview features on), the IDE settings, the free disk space, and makes one real check of exercise 01.1
 * the way {@code ./workshop watch} does; it ends with "ready" or one line per thing to fix.
 */
final class Preflight {

    /** The exercise the watch check runs: the first one, red on a fresh copy, so a verdict is all it needs. */
    static final String EXERCISE = "01.1";

    /** The options VS Code's test runner must pass (see .vscode/settings.json and the root README, IDE setup). */
    static final List<String> VS_CODE_VM_ARGS = List.of("--enable-preview", "--add-exports",
            "java.base/jdk.internal.vm=ALL-UNNAMED");

    /**
     * The free space the day needs, with a margin: the Maven repository that every build of the workshop fills
     * (INSTRUCTORS.md gives its measured size, {@code du -sh} of a prefetched folder) plus every module's build
     * output after a full day.
     */
    static final long MIN_FREE_BYTES = 2L * 1024 * 1024 * 1024;

    /** The JVM this command runs in. */
    record Jvm(int feature, boolean preview, String home) {
        static Jvm current() {
            return new Jvm(Runtime.version().feature(), Doctor.previewEnabled(), System.getProperty("java.home"));
        }
    }

    /** One check of one exercise ({@link Watch#once}'s contract: 0 when a verdict came, red or green). */
    @FunctionalInterface
    interface Once {
        int check(Path root, String exerciseId, PrintStream out) throws Exception;
    }

    /** Builds the launch files the watch check needs, as the scripts do before a watch; returns the exit status. */
    @FunctionalInterface
    interface Prepare {
        int run(Path root, PrintStream out) throws Exception;
    }

    private Preflight() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        Path root = invocation.root();
        return run(root, invocation.out(), Jvm.current(), Files.getFileStore(root).getUsableSpace(),
                Preflight::prepareWithMaven, Watch::once);
    }

    static int run(Path root, PrintStream out, Jvm jvm, long freeBytes, Prepare prepare, Once once) throws Exception {
        out.println("workshop preflight: checking this machine for the workshop.");
        List<String> problems = new ArrayList<>();
        report(out, "JDK", jdk(jvm), problems);
        report(out, "VS Code settings", vsCode(root.resolve(".vscode/settings.json")), problems);
        List<String> idea = intelliJ(root.resolve(".idea/misc.xml"));
        report(out, "IntelliJ IDEA", idea, problems);
        if (idea.isEmpty() && !Files.isRegularFile(root.resolve(".idea/misc.xml"))) {
            out.println("    (not opened in IntelliJ here yet; when you do: File > Project Structure > Project:"
                    + " SDK 25, language level '25 (Preview)'; Maven > Runner: JRE 25)");
        }
        report(out, "disk space", disk(freeBytes), problems);
        report(out, "watch loop", watch(root, out, prepare, once), problems);
        out.println();
        if (problems.isEmpty()) {
            out.println("workshop preflight: ready. See you tomorrow: start with ./workshop watch 01.1.");
            return 0;
        }
        out.println("workshop preflight: " + problems.size() + (problems.size() == 1 ? " thing" : " things")
                + " to fix before the workshop (then run ./workshop preflight again):");
        problems.forEach(problem -> out.println("  - " + problem));
        return 1;
    }

    private static void report(PrintStream out, String check, List<String> found, List<String> problems) {
        out.println((found.isEmpty() ? "  ok    " : "  FIX   ") + check);
        problems.addAll(found);
    }

    /** This JVM is the one the scripts found: it must be a 25 with preview features on. */
    static List<String> jdk(Jvm jvm) {
        List<String> problems = new ArrayList<>();
        if (jvm.feature() != Doctor.REQUIRED_FEATURE) {
            problems.add("JDK: ./workshop runs on Java " + jvm.feature() + " (" + jvm.home() + "), the workshop needs "
                    + Doctor.REQUIRED_FEATURE + ": install a JDK 25 (README, Prerequisites) or set JAVA25_HOME to it.");
        }
        if (!jvm.preview()) {
            problems.add("JDK: preview features are off in the JVM ./workshop started, so StructuredTaskScope cannot"
                    + " load: rebuild the launch files (./mvnw -q -Ploop process-test-classes -pl workshop-support)"
                    + " and check that target/workshop-loop/launch.args starts with --enable-preview.");
        }
        return problems;
    }

    /** The repository's VS Code settings pass the preview flags to the test runner. */
    static List<String> vsCode(Path settings) throws IOException {
        if (!Files.isRegularFile(settings)) {
            return List.of("VS Code: " + settings + " is missing, so VS Code runs tests without --enable-preview:"
                    + " restore it with git checkout -- .vscode/settings.json.");
        }
        String text = Files.readString(settings, StandardCharsets.UTF_8);
        Matcher vmArgs = Pattern.compile("\"vmArgs\"\\s*:\\s*\\[([^]]*)]").matcher(text);
        List<String> found = new ArrayList<>();
        if (vmArgs.find()) {
            Matcher value = Pattern.compile("\"([^\"]*)\"").matcher(vmArgs.group(1));
            while (value.find()) {
                found.add(value.group(1));
            }
        }
        List<String> missing = VS_CODE_VM_ARGS.stream().filter(arg -> !found.contains(arg)).distinct().toList();
        if (missing.isEmpty() && text.contains("\"java.test.config\"")) {
            return List.of();
        }
        return List.of("VS Code: " + settings + " should pass " + String.join(" ", VS_CODE_VM_ARGS)
                + " to the test runner (\"java.test.config\": { \"vmArgs\": [...] }), but its vmArgs are " + found
                + ": restore it with git checkout -- .vscode/settings.json.");
    }

    /** Where IntelliJ has opened the project, its SDK is a 25 and its language level 25 (Preview). */
    static List<String> intelliJ(Path misc) throws IOException {
        if (!Files.isRegularFile(misc)) {
            return List.of();
        }
        String text = Files.readString(misc, StandardCharsets.UTF_8);
        Matcher root = Pattern.compile("<component name=\"ProjectRootManager\"([^>]*)>").matcher(text);
        if (!root.find()) {
            return List.of(); // IntelliJ has not written its project settings yet
        }
        List<String> problems = new ArrayList<>();
        String level = attribute(root.group(1), "languageLevel");
        if (!"JDK_25_PREVIEW".equals(level)) {
            problems.add("IntelliJ IDEA: the project's language level is " + (level == null ? "not set" : level)
                    + ", the workshop needs '25 (Preview)': File > Project Structure > Project > Language level.");
        }
        String sdk = attribute(root.group(1), "project-jdk-name");
        if (sdk == null || !sdk.matches(".*\\b25\\b.*")) {
            problems.add("IntelliJ IDEA: the project SDK is " + (sdk == null ? "not set" : "'" + sdk + "'")
                    + ", the workshop needs a JDK 25: File > Project Structure > Project > SDK.");
        }
        return problems;
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(attributes);
        return m.find() ? m.group(1) : null;
    }

    static List<String> disk(long freeBytes) {
        if (freeBytes >= MIN_FREE_BYTES) {
            return List.of();
        }
        return List.of("disk: %,d MB free where the workshop is, it needs %,d MB (Maven's libraries and the builds):"
                .formatted(freeBytes >> 20, MIN_FREE_BYTES >> 20) + " free some space or clone it elsewhere.");
    }

    /** Builds module 01 as the scripts do before a watch, then makes one check of 01.1 and says how long it took. */
    static List<String> watch(Path root, PrintStream out, Prepare prepare, Once once) throws Exception {
        out.println("    building module 01 for the watch loop (the first time, Maven downloads itself and the libraries)...");
        long start = System.nanoTime();
        int built = prepare.run(root, out);
        if (built != 0) {
            return List.of("watch loop: the Maven build of module 01 failed (exit " + built + "): its messages are"
                    + " above. Offline? Ask for the room's Maven folder (INSTRUCTORS.md); otherwise run"
                    + " ./mvnw test -pl module-01-goroutines -am and read its first error.");
        }
        out.printf("    built in %.1f s; one check of %s, as ./workshop watch makes it:%n", elapsed(start), EXERCISE);
        start = System.nanoTime();
        int status = once.check(root, EXERCISE, out);
        double seconds = elapsed(start);
        if (status != 0) {
            return List.of("watch loop: one check of " + EXERCISE + " gave no verdict (exit " + status + ", after "
                    + "%.1f s): its messages are above; send them to the instructor.".formatted(seconds));
        }
        out.printf("    the check of %s took %.1f s (red is expected on a fresh copy: a verdict is what counts)%n",
                EXERCISE, seconds);
        return List.of();
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / (double) TimeUnit.SECONDS.toNanos(1);
    }

    private static int prepareWithMaven(Path root, PrintStream out) throws Exception {
        return Prefetch.wrapper(root).run(List.of("-q", "-Ploop", "process-test-classes", "-pl",
                "workshop-support,module-01-goroutines", "-am"), Map.of(), out);
    }
}
