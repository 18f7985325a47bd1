package workshop.support.threads;

import com.sun.management.HotSpotDiagnosticMXBean;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every live thread of this JVM, virtual ones included.
 *
 * <p>{@link Thread#getAllStackTraces()} lists only platform threads; the JDK's own thread dump
 * ({@link HotSpotDiagnosticMXBean#dumpThreads}, JSON format) lists virtual threads too, with their state, stack and
 * owning container, as long as {@code jdk.trackAllThreads} keeps its default ({@code true}). It costs a few
 * milliseconds for a few hundred threads. The dump is read as a stream, one thread at a time, so that a dump of a
 * million threads (a learner's code that starts them and returns) costs time but not a million objects.
 */
public final class ThreadDumps {

    private static final HotSpotDiagnosticMXBean DIAGNOSTICS =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The threads a dump kept, and how many matched in all (more than kept when the limit cut the list). */
    public record Sample(List<ThreadSnapshot> threads, int matched) {
        public Sample {
            threads = List.copyOf(threads);
        }

        public boolean isEmpty() {
            return matched == 0;
        }
    }

    /** One thread as the JDK's JSON dump spells it; the fields this library reads. */
    private record DumpedThread(String tid, String name, String state, Boolean virtual, List<String> stack,
                                Map<String, Object> parkBlocker, String blockedOn, String waitingOn) {
        String blocker() {
            if (parkBlocker != null && parkBlocker.get("object") != null) {
                Object owner = parkBlocker.get("owner");
                return parkBlocker.get("object") + (owner == null ? "" : " (held by #" + owner + ")");
            }
            return blockedOn != null ? blockedOn : waitingOn != null ? waitingOn : "";
        }
    }

    private ThreadDumps() {
    }

    /** Takes a thread dump now and returns every thread. Safe to call from several threads. */
    public static List<ThreadSnapshot> takeAll() {
        return take(thread -> true, Integer.MAX_VALUE).threads();
    }

    /**
     * Takes a thread dump now and returns the first {@code limit} threads that {@code keep} accepts, with the count of
     * all it accepted. Safe to call from several threads; each call writes its own temporary file.
     */
    public static Sample take(Predicate<ThreadSnapshot> keep, int limit) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("workshop-threads");
            Path file = dir.resolve("threads.json");
            DIAGNOSTICS.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            try (InputStream in = Files.newInputStream(file)) {
                return parse(in, keep, limit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not take a thread dump", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Reads a JSON thread dump: {@code {"threadDump": {"threadContainers": [{"container": …, "threads": […]}]}}}. */
    static Sample parse(InputStream json, Predicate<ThreadSnapshot> keep, int limit) {
        List<ThreadSnapshot> kept = new ArrayList<>();
        int matched = 0;
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.PROPERTY_NAME || !"threadContainers".equals(parser.currentName())) {
                    continue;
                }
                expect(parser.nextToken(), JsonToken.START_ARRAY);
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    // one container: its name comes before its threads in the JDK's dumps; read in order
                    String container = "<unknown>";
                    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                        String property = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if ("container".equals(property) && value == JsonToken.VALUE_STRING) {
                            container = parser.getString();
                        } else if ("threads".equals(property) && value == JsonToken.START_ARRAY) {
                            while (parser.nextToken() == JsonToken.START_OBJECT) {
                                ThreadSnapshot thread = snapshot(JSON.readValue(parser, DumpedThread.class), container);
                                if (keep.test(thread)) {
                                    matched++;
                                    if (kept.size() < limit) {
                                        kept.add(thread);
                                    }
                                }
                            }
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
            }
        }
        return new Sample(kept, matched);
    }

    private static ThreadSnapshot snapshot(DumpedThread t, String container) {
        return new ThreadSnapshot(Long.parseLong(t.tid()), t.name() == null ? "" : t.name(),
                Boolean.TRUE.equals(t.virtual()), t.state() == null ? "UNKNOWN" : t.state(), container,
                t.stack() == null ? List.of() : t.stack(), t.blocker());
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("thread dump JSON: expected " + expected + ", found " + actual);
        }
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
