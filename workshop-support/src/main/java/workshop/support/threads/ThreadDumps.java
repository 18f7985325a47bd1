package workshop.support.threads;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every live thread of this JVM, virtual ones included.
 *
 * <p>{@link Thread#getAllStackTraces()} lists only platform threads; the JDK's own thread dump
 * ({@link HotSpotDiagnosticMXBean#dumpThreads}, JSON format) lists virtual threads too, with their state, stack and
 * owning container, as long as {@code jdk.trackAllThreads} keeps its default ({@code true}). It costs a few
 * milliseconds for a few hundred threads.
 */
public final class ThreadDumps {

    private static final HotSpotDiagnosticMXBean DIAGNOSTICS =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    private ThreadDumps() {
    }

    /** Takes a thread dump now. Safe to call from several threads; each call writes its own temporary file. */
    public static List<ThreadSnapshot> takeAll() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("workshop-threads");
            Path file = dir.resolve("threads.json");
            DIAGNOSTICS.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("could not take a thread dump", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    @SuppressWarnings("unchecked")
    static List<ThreadSnapshot> parse(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        Map<String, Object> dump = (Map<String, Object>) root.get("threadDump");
        List<ThreadSnapshot> threads = new ArrayList<>();
        for (Object c : (List<Object>) dump.get("threadContainers")) {
            Map<String, Object> container = (Map<String, Object>) c;
            String containerName = String.valueOf(container.get("container"));
            for (Object t : (List<Object>) container.getOrDefault("threads", List.of())) {
                Map<String, Object> thread = (Map<String, Object>) t;
                List<String> stack = ((List<Object>) thread.getOrDefault("stack", List.of())).stream()
                        .map(String::valueOf).toList();
                threads.add(new ThreadSnapshot(
                        Long.parseLong(String.valueOf(thread.get("tid"))),
                        String.valueOf(thread.getOrDefault("name", "")),
                        Boolean.TRUE.equals(thread.get("virtual")),
                        String.valueOf(thread.getOrDefault("state", "UNKNOWN")),
                        containerName,
                        stack));
            }
        }
        return threads;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
