package workshop.support.threads;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose code a stack frame of a thread dump is in: the JDK's, a library's (a jar), a test's ({@code test-classes}),
 * this support library's, or an exercise's own classes, the code a learner edits. Found from where the frame's class
 * was loaded, so it needs no naming convention.
 */
final class Frames {

    private enum Kind { JDK, LIBRARY, TEST, SUPPORT, EXERCISE }

    private static final Map<String, Kind> KIND_BY_CLASS = new ConcurrentHashMap<>();

    /** {@code java.base/} before a class of a named module; not the {@code /0x…} of a hidden class. */
    private static final Pattern MODULE_PREFIX = Pattern.compile("[\\w.]+/(?!0x)");

    private Frames() {
    }

    /** Whether the frame is the JDK's: {@code java.base/java.lang.Thread.run(Thread.java:1474)}. */
    static boolean isJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("jdk.") || kind(frame) == Kind.JDK;
    }

    /** Whether the frame is in an exercise module's main classes (a starter, a learner's edit, a reference solution). */
    static boolean isExerciseCode(String frame) {
        return kind(frame) == Kind.EXERCISE;
    }

    private static Kind kind(String frame) {
        String className = className(frame);
        return className.isEmpty() ? Kind.JDK : KIND_BY_CLASS.computeIfAbsent(className, Frames::load);
    }

    /**
     * {@code workshop.goroutines.WaitGroup.await(WaitGroup.java:42)} → {@code workshop.goroutines.WaitGroup};
     * {@code java.base/java.lang.Thread.run(…)} → {@code java.lang.Thread}; a hidden class loses its {@code /0x…}.
     */
    static String className(String frame) {
        int paren = frame.indexOf('(');
        String method = paren < 0 ? frame : frame.substring(0, paren);
        Matcher module = MODULE_PREFIX.matcher(method);
        if (module.lookingAt()) {
            method = method.substring(module.end());
        }
        int dot = method.lastIndexOf('.');
        String type = dot < 0 ? "" : method.substring(0, dot);
        int hidden = type.indexOf("/0x");
        return hidden < 0 ? type : type.substring(0, hidden);
    }

    private static Kind load(String className) {
        try {
            Class<?> type = Class.forName(className, false, loader());
            var source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Kind.JDK;
            }
            Path location = Path.of(source.getLocation().toURI());
            if (!Files.isDirectory(location)) {
                return Kind.LIBRARY;
            }
            if (className.startsWith("workshop.support.")) {
                return Kind.SUPPORT;
            }
            return location.getFileName().toString().equals("test-classes") ? Kind.TEST : Kind.EXERCISE;
        } catch (ClassNotFoundException | LinkageError | URISyntaxException | SecurityException
                 | IllegalArgumentException e) {
            return Kind.LIBRARY; // not ours to point at
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ClassLoader.getSystemClassLoader();
    }
}
