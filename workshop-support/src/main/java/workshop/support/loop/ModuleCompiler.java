package workshop.support.loop;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Compiles a module's saved sources in this JVM, with the POM's flags, into the folders Maven uses
 * ({@code target/classes}, {@code target/test-classes}), so that {@code ./mvnw test} and the watcher share one build.
 * Only what changed is compiled, into a scratch folder first: the last good classes stay until a compile succeeds.
 * When a compile changes what other classes may use ({@link ApiFingerprint}), the whole module is recompiled, so
 * that nothing compiled against the old signatures is left to fail at run time. Not thread-safe.
 */
final class ModuleCompiler {

    /** The flags of the POM's compiler configuration that matter to the result. */
    static final List<String> OPTIONS = List.of("--release", "25", "--enable-preview", "-g", "-proc:none",
            "-implicit:none", "-encoding", "UTF-8");

    /** What a compile did: which files, whether it succeeded, javac's errors as javac prints them. */
    record Result(int files, boolean ok, boolean wholeModule, String errors) {
    }

    private final Path root;
    private final Path module;
    private final List<Path> dependencies;
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final StandardJavaFileManager files;

    ModuleCompiler(Path root, Path module, List<Path> classPath) {
        this.root = root;
        this.module = module;
        Path own = module.resolve("target").toAbsolutePath().normalize();
        this.dependencies = classPath.stream().map(p -> p.toAbsolutePath().normalize())
                .filter(p -> !p.equals(own.resolve("classes")) && !p.equals(own.resolve("test-classes"))).toList();
        if (javac == null) {
            throw new IllegalStateException("this Java has no compiler (a JRE?): the watcher needs a JDK 25");
        }
        this.files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    }

    /**
     * Compiles one source into a throw-away folder, with a file manager of its own, so that the first real compile
     * after a save finds javac already loaded and warm. Safe to run beside {@link #compile}.
     */
    void warmUp(Path source) {
        try (StandardJavaFileManager own = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            Path scratch = Files.createTempDirectory("workshop-javac-warm-up");
            try {
                List<String> options = new ArrayList<>(OPTIONS);
                List<Path> classPath = new ArrayList<>(List.of(classes()));
                classPath.addAll(dependencies);
                options.addAll(List.of("-d", scratch.toString(), "-sourcepath", "", "-cp",
                        String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList())));
                javac.getTask(null, own, new DiagnosticCollector<>(), options, null,
                        own.getJavaFileObjectsFromPaths(List.of(source))).call();
            } finally {
                deleteTree(scratch);
            }
        } catch (IOException | RuntimeException ignored) {
            // only a warm-up: the real compile reports what is wrong
        }
    }

    Path mainSources() {
        return module.resolve("src/main/java");
    }

    Path testSources() {
        return module.resolve("src/test/java");
    }

    Path classes() {
        return module.resolve("target/classes");
    }

    Path testClasses() {
        return module.resolve("target/test-classes");
    }

    /** The saved sources whose classes are missing or older than the source (Maven's compile failed on them). */
    List<Path> staleSources() throws IOException {
        List<Path> stale = new ArrayList<>();
        for (Path sources : List.of(mainSources(), testSources())) {
            Path output = sources.equals(mainSources()) ? classes() : testClasses();
            for (Path source : javaFiles(sources)) {
                Path primary = output.resolve(sources.relativize(source).toString().replaceAll("\\.java$", ".class"));
                if (!Files.isRegularFile(primary)
                        || Files.getLastModifiedTime(primary).compareTo(Files.getLastModifiedTime(source)) < 0) {
                    stale.add(source);
                }
            }
        }
        return stale;
    }

    /**
     * Compiles the given saved files of this module (sources, or resources that the build copies), and the whole
     * module when their API changed or one was deleted.
     */
    Result compile(List<Path> changed) throws IOException {
        List<Path> main = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        boolean deleted = false;
        for (Path file : changed) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".java")) {
                copyResource(file);
                continue;
            }
            if (!Files.exists(file)) {
                deleted = true;
                removeClassesOf(file);
                continue;
            }
            (file.startsWith(testSources()) ? test : main).add(file);
        }
        if (deleted) {
            return wholeModule();
        }
        int count = 0;
        if (!main.isEmpty()) {
            String before = ApiFingerprint.of(classFilesOf(main, classes()));
            Result result = compileInto(main, classes(), List.of());
            if (!result.ok()) {
                return result;
            }
            count += result.files();
            if (!before.isEmpty() && !before.equals(ApiFingerprint.of(classFilesOf(main, classes())))) {
                return wholeModule();
            }
        }
        if (!test.isEmpty()) {
            Result result = compileInto(test, testClasses(), List.of(classes()));
            if (!result.ok()) {
                return result;
            }
            count += result.files();
        }
        return new Result(count, true, false, "");
    }

    /** Compiles every source of the module, main then test. */
    Result wholeModule() throws IOException {
        Result main = compileInto(javaFiles(mainSources()), classes(), List.of());
        if (!main.ok()) {
            return new Result(main.files(), false, true, main.errors());
        }
        Result test = compileInto(javaFiles(testSources()), testClasses(), List.of(classes()));
        return new Result(main.files() + test.files(), test.ok(), true, test.errors());
    }

    private Result compileInto(List<Path> sources, Path output, List<Path> extraClassPath) throws IOException {
        if (sources.isEmpty()) {
            return new Result(0, true, false, "");
        }
        Path scratch = module.resolve("target").resolve(LaunchInfo.FOLDER)
                .resolve(output.getFileName() + "-scratch");
        deleteTree(scratch);
        Files.createDirectories(scratch);
        Files.createDirectories(output);
        List<String> options = new ArrayList<>(OPTIONS);
        List<Path> classPath = new ArrayList<>(extraClassPath);
        classPath.add(output);
        classPath.addAll(dependencies);
        options.addAll(List.of("-d", scratch.toString(), "-sourcepath", "",
                "-cp", String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList())));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok = javac.getTask(null, files, diagnostics, options, null,
                files.getJavaFileObjectsFromPaths(sources)).call();
        if (!ok) {
            return new Result(sources.size(), false, false, format(diagnostics.getDiagnostics()));
        }
        Path sourceRoot = sources.getFirst().startsWith(testSources()) ? testSources() : mainSources();
        for (Path source : sources) {
            removeClassesOf(source, sourceRoot, output);
        }
        try (Stream<Path> built = Files.walk(scratch)) {
            for (Path file : (Iterable<Path>) built.filter(Files::isRegularFile)::iterator) {
                Path target = output.resolve(scratch.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new Result(sources.size(), true, false, "");
    }

    /** javac's own layout: {@code path:line: error: message}, the source line, a caret under the column. */
    String format(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        StringBuilder out = new StringBuilder();
        int errors = 0;
        for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            errors++;
            String where = "";
            String line = "";
            if (d.getSource() != null) {
                Path file = Path.of(d.getSource().toUri());
                where = root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/')
                        + ":" + d.getLineNumber() + ": ";
                try {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    if (d.getLineNumber() >= 1 && d.getLineNumber() <= lines.size()) {
                        line = lines.get((int) d.getLineNumber() - 1);
                    }
                } catch (IOException | UncheckedIOException ignored) {
                    // the file changed again: no source line
                }
            }
            out.append(where).append("error: ").append(d.getMessage(Locale.ROOT)).append('\n');
            if (!line.isEmpty() && d.getColumnNumber() >= 1) {
                out.append(line).append('\n');
                StringBuilder caret = new StringBuilder();
                for (int i = 0; i < d.getColumnNumber() - 1 && i < line.length(); i++) {
                    caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
                }
                out.append(caret).append("^\n");
            }
        }
        out.append(errors).append(errors == 1 ? " error" : " errors").append('\n');
        return out.toString();
    }

    private void copyResource(Path file) throws IOException {
        for (Path sources : List.of(mainSources(), module.resolve("src/main/resources"))) {
            if (file.startsWith(sources)) {
                Path target = classes().resolve(sources.relativize(file).toString());
                if (Files.exists(file)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.deleteIfExists(target);
                }
                return;
            }
        }
        Path testResources = module.resolve("src/test/resources");
        if (file.startsWith(testResources)) {
            Path target = testClasses().resolve(testResources.relativize(file).toString());
            if (Files.exists(file)) {
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(target);
            }
        }
    }

    private void removeClassesOf(Path source) throws IOException {
        boolean test = source.startsWith(testSources());
        removeClassesOf(source, test ? testSources() : mainSources(), test ? testClasses() : classes());
    }

    /** Deletes {@code Name.class} and {@code Name$*.class} of a source file. */
    private static void removeClassesOf(Path source, Path sourceRoot, Path output) throws IOException {
        for (Path file : classFilesOf(List.of(source), sourceRoot, output)) {
            Files.deleteIfExists(file);
        }
    }

    private List<Path> classFilesOf(List<Path> sources, Path output) throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path source : sources) {
            all.addAll(classFilesOf(List.of(source), source.startsWith(testSources()) ? testSources() : mainSources(),
                    output));
        }
        return all;
    }

    private static List<Path> classFilesOf(List<Path> sources, Path sourceRoot, Path output) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path source : sources) {
            Path relative = sourceRoot.relativize(source);
            Path folder = relative.getParent() == null ? output : output.resolve(relative.getParent().toString());
            String base = relative.getFileName().toString().replaceAll("\\.java$", "");
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> list = Files.list(folder)) {
                list.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.equals(base + ".class") || (n.startsWith(base + "$") && n.endsWith(".class"));
                }).forEach(found::add);
            }
        }
        return found;
    }

    static List<Path> javaFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(f -> f.getFileName().toString().endsWith(".java")).sorted().toList();
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
