package workshop.support.loop;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writes what the learner's loop needs to start a module's JVMs without Maven (profile {@code loop}, run by Maven with
 * the JDK 25 it chose): in {@code <build>/workshop-loop/}, {@value #JAVA} (that JDK's {@code java}), {@value #CLASS_PATH}
 * (the module's test class path, one entry a line), {@value #JVM_OPTIONS} (the test JVM's extra options, from the
 * POM) and {@value #ARGS}, a {@code java} argument file ({@code java @launch.args Main ...}) that starts a JVM on
 * that class path with preview features on, for the scripts.
 *
 * <p>Usage: {@code LaunchInfo <module folder> <build folder> <test JVM options>}.
 */
public final class LaunchInfo {

    /** The folder, in a module's build folder, that holds the launch files. */
    public static final String FOLDER = "workshop-loop";
    public static final String JAVA = "java.txt";
    public static final String CLASS_PATH = "classpath.txt";
    public static final String JVM_OPTIONS = "jvm-options.txt";
    public static final String ARGS = "launch.args";

    private LaunchInfo() {
    }

    public static void main(String[] args) throws IOException {
        Path build = Path.of(args[1]).toAbsolutePath().normalize();
        Path folder = Files.createDirectories(build.resolve(FOLDER));
        Path java = Path.of(System.getProperty("java.home"), "bin",
                File.separatorChar == '\\' ? "java.exe" : "java");
        List<String> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).toList();
        String options = args.length > 2 && !args[2].startsWith("${") ? args[2].strip() : "";
        Files.writeString(folder.resolve(JAVA), java + "\n", StandardCharsets.UTF_8);
        Files.write(folder.resolve(CLASS_PATH), classPath, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve(JVM_OPTIONS), options + "\n", StandardCharsets.UTF_8);
        // an argument file takes a backslash inside quotes as an escape: forward slashes work on Windows too
        String quoted = "\"" + String.join(File.pathSeparator, classPath).replace('\\', '/') + "\"";
        Files.writeString(folder.resolve(ARGS), String.join("\n", "--enable-preview", "-cp", quoted) + "\n",
                StandardCharsets.UTF_8);
    }

    /** The launch folder of a module (or of the support module). */
    public static Path folder(Path module) {
        return module.resolve("target").resolve(FOLDER);
    }

    /** A module's test class path, as its last {@code loop} build wrote it. */
    public static List<Path> classPath(Path module) throws IOException {
        return Files.readAllLines(folder(module).resolve(CLASS_PATH), StandardCharsets.UTF_8).stream()
                .filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** The {@code java} of the JDK 25 that Maven chose for a module. */
    public static Path java(Path module) throws IOException {
        return Path.of(Files.readString(folder(module).resolve(JAVA), StandardCharsets.UTF_8).strip());
    }

    /** The test JVM's extra options from the POM (exports, heap), split at blanks. */
    public static List<String> jvmOptions(Path module) throws IOException {
        Path file = folder(module).resolve(JVM_OPTIONS);
        return Files.isRegularFile(file) ? Arrays.stream(Files.readString(file).strip().split("\\s+"))
                .filter(s -> !s.isBlank()).toList() : List.of();
    }
}
