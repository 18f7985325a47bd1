package workshop.support.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Notices saved files by reading their times and sizes about every {@link #PERIOD} (the JDK's {@code WatchService}
 * polls every 10 s on macOS), and hands them over once they have stopped changing: an editor that saves in several
 * writes, or a save of several files, gives one batch. Not thread-safe.
 */
final class SourcePoller {

    static final Duration PERIOD = Duration.ofMillis(100);

    private record Stamp(long modified, long size) {
    }

    /** A batch of saved files and when the newest of them was saved (epoch millis). */
    record Batch(List<Path> files, long savedAtMillis) {
    }

    private final List<Path> folders;
    private Map<Path, Stamp> seen;

    SourcePoller(List<Path> folders) {
        this.folders = List.copyOf(folders);
        this.seen = scan();
    }

    /** Blocks until files changed and then stayed unchanged for one period; returns them. */
    Batch next() throws InterruptedException {
        Set<Path> changed = new HashSet<>();
        while (true) {
            Thread.sleep(PERIOD); // the poll period itself: file times are all there is to wait on
            Map<Path, Stamp> now = scan();
            Set<Path> fresh = differences(seen, now);
            seen = now;
            if (fresh.isEmpty() && !changed.isEmpty()) {
                long newest = changed.stream().map(now::get).filter(Objects::nonNull)
                        .mapToLong(Stamp::modified).max().orElse(System.currentTimeMillis());
                return new Batch(List.copyOf(changed), newest);
            }
            changed.addAll(fresh);
        }
    }

    private static Set<Path> differences(Map<Path, Stamp> before, Map<Path, Stamp> after) {
        Set<Path> changed = new HashSet<>();
        after.forEach((file, stamp) -> {
            if (!stamp.equals(before.get(file))) {
                changed.add(file);
            }
        });
        before.keySet().stream().filter(f -> !after.containsKey(f)).forEach(changed::add);
        return changed;
    }

    private Map<Path, Stamp> scan() {
        Map<Path, Stamp> stamps = new HashMap<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.forEach(file -> {
                    try {
                        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                        if (a.isRegularFile() && !file.getFileName().toString().startsWith(".")
                                && !file.getFileName().toString().endsWith("~")) {
                            stamps.put(file, new Stamp(a.lastModifiedTime().toMillis(), a.size()));
                        }
                    } catch (IOException gone) {
                        // deleted while we looked: the next scan sees it gone
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // a folder renamed while we looked: the next scan sees the new state
            }
        }
        return stamps;
    }

    static List<Path> folders(Path module) {
        return new ArrayList<>(List.of(module.resolve("src/main/java"), module.resolve("src/test/java"),
                module.resolve("src/main/resources"), module.resolve("src/test/resources")));
    }
}
