package workshop.support.snippets;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("README snippets")
class SnippetsTest {

    /** The repository root, found from where this class was loaded, so that any working directory works (IDEs). */
    private static final Path REPOSITORY = repositoryRoot();

    private static Path repositoryRoot() {
        try {
            Path dir = Path.of(SnippetsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
                dir = dir.getParent();
            }
            return dir != null ? dir : Path.of("..").toAbsolutePath().normalize();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("in every README of the repository are exactly the tagged regions of their sources")
    void everyReadmeSnippetMatchesItsSource() {
        assertThat(Snippets.drifts(REPOSITORY))
                .as("README snippets that drifted from their sources (fix: java workshop.support.snippets.Snippets --write)")
                .isEmpty();
        assertThat(Snippets.count(REPOSITORY)).as("snippets found, so the check checks something").isPositive();
    }

    @Test
    @DisplayName("are reported when they differ from the source, or name a region that does not exist")
    void driftIsReported(@TempDir Path repository) throws IOException {
        Files.writeString(repository.resolve("A.java"), """
                class A {
                    // tag::hello[]
                    void hello() {}
                    // end::hello[]
                }
                """);
        Files.writeString(repository.resolve("README.md"), """
                <!-- snippet: A.java#hello -->
                ```java
                void hello() { /* edited by hand */ }
                ```
                <!-- snippet: A.java#missing -->
                ```java
                ```
                """);

        assertThat(Snippets.drifts(repository)).extracting(Snippets.Drift::tag).containsExactly("hello", "missing");

        Files.writeString(repository.resolve("README.md"), Files.readString(repository.resolve("README.md"))
                .replace("<!-- snippet: A.java#missing -->\n```java\n```\n", ""));
        Snippets.write(repository);
        assertThat(Snippets.drifts(repository)).isEmpty();
        assertThat(Files.readString(repository.resolve("README.md"))).contains("void hello() {}\n```");
    }
}
