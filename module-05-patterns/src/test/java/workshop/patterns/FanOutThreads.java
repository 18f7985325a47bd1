package workshop.patterns;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 05.2: counts the threads, virtual ones included, that run the fan-out's code or a call, from a JSON thread dump
 * (the only JDK view that lists virtual threads). A thread started for an input that waits for a slot inside the
 * fan-out's code counts, as it should: the limit bounds threads, not only calls.
 */
final class FanOutThreads {

    private static final Pattern TID = Pattern.compile("\\s*:\\s*\"?(\\d+)");

    private FanOutThreads() {
    }

    /**
     * The threads other than {@code caller} and the test's own with a frame of {@code workshop.patterns.BoundedFanOut*}
     * (the fan-out's code or a test's call) on their stack.
     */
    static int countBusy(Thread caller) {
        try {
            Path dir = Files.createTempDirectory("05.2-threads");
            Path dump = dir.resolve("threads.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                String json = Files.readString(dump);
                int count = 0;
                for (String thread : json.split("\"tid\"")) { // one piece per thread, its id first
                    Matcher id = TID.matcher(thread);
                    if (id.lookingAt() && !id.group(1).equals(Long.toString(caller.threadId()))
                            && !id.group(1).equals(Long.toString(Thread.currentThread().threadId()))
                            && thread.contains("workshop.patterns.BoundedFanOut")) {
                        count++;
                    }
                }
                return count;
            } finally {
                Files.deleteIfExists(dump);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
