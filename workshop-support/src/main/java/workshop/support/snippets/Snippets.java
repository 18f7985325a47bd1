package workshop.support.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the code in the write-ups equal to code that compiles. A README marks a fenced block with the tagged region
 * of a source file it shows:
 *
 * <pre>
 * &lt;!-- snippet: module-01-goroutines/src/main/java/workshop/goroutines/examples/Spawn.java#spawn --&gt;
 * ```java
 * ...
 * ```
 * </pre>
 *
 * and the source file marks the region with {@code // tag::spawn[]} and {@code // end::spawn[]}. {@link #drifts}
 * lists every block that differs from its region (a test in this module fails on any);
 * {@code Snippets --write <repository root>} rewrites the blocks from the sources.
 */
public final class Snippets {

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- snippet: (?<file>[^#\\s]+)#(?<tag>[\\w.-]+) -->\\R```(?<lang>\\w*)\\R(?<body>.*?)^```",
            Pattern.DOTALL | Pattern.MULTILINE);

    private Snippets() {
    }

    /** A README block that differs from its source region, or that names a region that does not exist. */
    public record Drift(Path readme, String file, String tag, String problem) {
        @Override
        public String toString() {
            return readme + ": snippet " + file + "#" + tag + ": " + problem;
        }
    }

    /** Every README.md at the repository root and one level below, e.g. each module's write-up. */
    public static List<Path> readmes(Path root) {
        try (Stream<Path> paths = Stream.concat(Stream.of(root.resolve("README.md")),
                Files.list(root).filter(Files::isDirectory).map(d -> d.resolve("README.md")))) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blocks of every README under {@code root} that drifted from their sources. */
    public static List<Drift> drifts(Path root) {
        List<Drift> drifts = new ArrayList<>();
        for (Path readme : readmes(root)) {
            String text = read(readme);
            Matcher block = BLOCK.matcher(text);
            while (block.find()) {
                String file = block.group("file");
                String tag = block.group("tag");
                try {
                    String expected = region(root.resolve(file), tag);
                    if (!expected.equals(block.group("body"))) {
                        drifts.add(new Drift(root.relativize(readme), file, tag,
                                "differs from the source; run Snippets --write, never edit the README copy"));
                    }
                } catch (IllegalArgumentException e) {
                    drifts.add(new Drift(root.relativize(readme), file, tag, e.getMessage()));
                }
            }
        }
        return drifts;
    }

    /** How many snippet blocks the READMEs under {@code root} hold. */
    public static int count(Path root) {
        return readmes(root).stream().mapToInt(r -> (int) BLOCK.matcher(read(r)).results().count()).sum();
    }

    /** Rewrites every snippet block from its source region. */
    public static void write(Path root) {
        for (Path readme : readmes(root)) {
            String text = read(readme);
            Matcher block = BLOCK.matcher(text);
            StringBuilder out = new StringBuilder();
            while (block.find()) {
                String body = region(root.resolve(block.group("file")), block.group("tag"));
                String replacement = "<!-- snippet: " + block.group("file") + "#" + block.group("tag") + " -->\n```"
                        + block.group("lang") + "\n" + body + "```";
                block.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            block.appendTail(out);
            try {
                Files.writeString(readme, out.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The lines between {@code tag::<tag>[]} and {@code end::<tag>[]}, dedented, each ending in a newline. */
    public static String region(Path source, String tag) {
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("no such source file");
        }
        List<String> lines = read(source).lines().toList();
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("tag::" + tag + "[]")) {
                start = i + 1;
            } else if (lines.get(i).contains("end::" + tag + "[]")) {
                end = i;
            }
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the source has no region tag::" + tag + "[] ... end::" + tag + "[]");
        }
        List<String> region = lines.subList(start, end).stream()
                .filter(line -> !line.contains("tag::") && !line.contains("end::"))
                .toList();
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : region) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
        if (args.length > 0 && args[0].equals("--write")) {
            write(root);
        }
        List<Drift> drifts = drifts(root);
        drifts.forEach(System.out::println);
        System.out.println(count(root) + " snippets, " + drifts.size() + " drifted");
        System.exit(drifts.isEmpty() ? 0 : 1);
    }
}
