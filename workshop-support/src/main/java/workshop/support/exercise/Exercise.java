package workshop.support.exercise;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One exercise as its source header declares it: {@code Exercise 01.3: WaitGroup with Go's semantics}.
 *
 * @param id         the numbered id, {@code MM.N}
 * @param title      the title after the id; the README's section heading is {@code ### <id> <title>}
 * @param moduleName the module folder, e.g. {@code module-01-goroutines}
 * @param source     the file the learner edits, relative to the module folder
 */
public record Exercise(String id, String title, String moduleName, Path source) {

    /** Orders ids numerically: 01.9 before 01.10. */
    public static int compareIds(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    /** The heading this exercise has in its module README. */
    public String readmeHeading() {
        return id + " " + title;
    }

    /** GitHub's anchor for the README heading: lower case, punctuation dropped, spaces to hyphens. */
    public String anchor() {
        return readmeHeading().toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** {@code module-01-goroutines/README.md#013-waitgroup...} */
    public String readmeLink() {
        return moduleName + "/README.md#" + anchor();
    }

    /** The source file, relative to the repository root, with forward slashes. */
    public String displayPath() {
        return moduleName + "/" + source.toString().replace('\\', '/');
    }
}
