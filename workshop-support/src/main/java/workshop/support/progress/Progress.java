package workshop.support.progress;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which exercises of one module are solved, as the latest runs found them; kept in the module's build folder, in
 * {@value #FILE}, so that running one exercise keeps what earlier runs found about the others.
 */
public record Progress(Map<String, Boolean> solvedById) {

    public static final String FILE = "workshop-progress.properties";

    public Progress {
        solvedById = Map.copyOf(solvedById);
    }

    /** What the file in {@code buildDirectory} says; nothing solved when there is no file. */
    public static Progress read(Path buildDirectory) {
        Path file = buildDirectory.resolve(FILE);
        Map<String, Boolean> solved = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException e) {
                return new Progress(solved); // unreadable: start over
            }
            properties.forEach((id, value) -> solved.put((String) id, "solved".equals(value)));
        }
        return new Progress(solved);
    }

    /** This progress with the outcomes of the latest run laid over it. */
    public Progress updatedWith(Map<String, Boolean> latest) {
        Map<String, Boolean> merged = new TreeMap<>(solvedById);
        merged.putAll(latest);
        return new Progress(merged);
    }

    public boolean isSolved(String id) {
        return solvedById.getOrDefault(id, false);
    }

    public void write(Path buildDirectory) {
        Properties properties = new Properties();
        solvedById.forEach((id, solved) -> properties.setProperty(id, solved ? "solved" : "unsolved"));
        try {
            Files.createDirectories(buildDirectory);
            try (Writer out = Files.newBufferedWriter(buildDirectory.resolve(FILE))) {
                properties.store(out, "Workshop progress: written after each test run");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
