package workshop.support.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The exercises of one module, read from its sources (not from compiled classes, so that a module that does not
 * compile still counts its exercises). An exercise is declared by a line {@code Exercise MM.N: Title} in the header
 * of a file under {@code src/main/java}, or under {@code src/test/java} for an exercise whose answer is a test (05.11:
 * the learner writes the test); a type that learners build in steps (module 02's {@code Channel}) declares one such
 * line per step. The file is a Java source, or a YAML file for an exercise whose answer is not Java (06.21: a
 * Kubernetes manifest), whose header is a comment: {@code # Exercise 06.21: The manifest}.
 */
public final class ExerciseCatalog {

    /**
     * The header line that declares an exercise, e.g. {@code * Exercise 01.3: WaitGroup with Go's semantics}, or, in a
     * list of steps, {@code * <li>Exercise 02.1: Channel: send and receive}, or in a YAML file's comment,
     * {@code # Exercise 06.21: The manifest}.
     */
    public static final Pattern HEADER = Pattern.compile("^\\s*[*#]?\\s*(?:<li>\\s*)?Exercise (\\d\\d\\.\\d+): (.+?)\\s*$",
            Pattern.MULTILINE);

    private final Path moduleDirectory;
    private final List<Exercise> exercises;

    private ExerciseCatalog(Path moduleDirectory, List<Exercise> exercises) {
        this.moduleDirectory = moduleDirectory;
        this.exercises = exercises;
    }

    /** The endings of the files that may declare an exercise: Java sources, and YAML for a non-Java answer. */
    static final List<String> EXERCISE_FILES = List.of(".java", ".yaml", ".yml");

    /** The source folders, relative to a module, whose files may declare exercises. */
    static final List<String> SOURCE_FOLDERS = List.of("src/main/java", "src/test/java");

    /** Reads the exercise headers below {@code moduleDirectory/src/main/java} and {@code src/test/java}. */
    public static ExerciseCatalog of(Path moduleDirectory) {
        List<Exercise> found = new ArrayList<>();
        for (String folder : SOURCE_FOLDERS) {
            read(moduleDirectory, moduleDirectory.resolve(folder), found);
        }
        found.sort(Comparator.comparing(Exercise::id, Exercise::compareIds));
        return new ExerciseCatalog(moduleDirectory, List.copyOf(found));
    }

    private static void read(Path moduleDirectory, Path sources, List<Exercise> found) {
        if (Files.isDirectory(sources)) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : (Iterable<Path>) files.filter(ExerciseCatalog::mayDeclare).sorted()::iterator) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    Matcher header = HEADER.matcher(text);
                    while (header.find()) { // a type built in steps declares one exercise per step
                        found.add(new Exercise(header.group(1), header.group(2),
                                moduleDirectory.getFileName().toString(), moduleDirectory.relativize(file)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static boolean mayDeclare(Path file) {
        return EXERCISE_FILES.stream().anyMatch(file.getFileName().toString()::endsWith);
    }

    /** Every exercise module below the repository root ({@code module-*}), in order. */
    public static List<ExerciseCatalog> allModules(Path repositoryRoot) {
        try (Stream<Path> children = Files.list(repositoryRoot)) {
            return children.filter(Files::isDirectory)
                    .filter(dir -> dir.getFileName().toString().matches("module-\\d\\d-.+"))
                    .sorted()
                    .map(ExerciseCatalog::of)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The module folder a class was loaded from: the folder that holds its {@code target/}, or, for classes run from
     * an IDE's own output folder, the nearest ancestor with a {@code pom.xml}.
     */
    public static Optional<Path> moduleDirectoryOf(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
            for (Path dir = location; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("src"))) {
                    return Optional.of(dir);
                }
            }
            return Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public Path moduleDirectory() {
        return moduleDirectory;
    }

    public String moduleName() {
        return moduleDirectory.getFileName().toString();
    }

    public List<Exercise> exercises() {
        return exercises;
    }

    public Optional<Exercise> find(String id) {
        return exercises.stream().filter(e -> e.id().equals(id)).findFirst();
    }
}
