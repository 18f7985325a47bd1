package workshop.support.loop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("workshop solution")
class SolutionDiffTest {

    @TempDir
    Path root;

    FakeRepository repository;

    /** The workshop's own root folder, found from where this class was loaded, so that any working folder works. */
    static Path workshopRoot() {
        try {
            Path dir = Path.of(SolutionDiffTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
                dir = dir.getParent();
            }
            return dir != null ? dir : Path.of("..").toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void aRepository() throws IOException {
        repository = new FakeRepository(root);
    }

    @Nested
    @DisplayName("asks before it shows the answer")
    class Asks {

        @Test
        @DisplayName("and shows nothing of the reference when the answer is no, or just Enter")
        void showsNothingOnNo() throws Exception {
            for (String answer : List.of("n\n", "\n", "")) {
                assertThat(repository.answering(answer, "solution", "01.1")).isZero();
                assertThat(repository.printed())
                        .as("after the answer '%s'", answer.strip())
                        .startsWith("Show the reference solution for 01.1 (WaitGroup)? It shows the answer. [y/N] ")
                        .contains("Not shown.")
                        .doesNotContain("int counter", "+++");
            }
        }

        @Test
        @DisplayName("and prints a unified diff, paths relative to the root, when the answer is yes")
        void printsTheDiffOnYes() throws Exception {
            assertThat(repository.answering("y\n", "solution", "01.1")).isZero();
            assertThat(repository.printed()).contains("""
                    --- module-01-fake/src/main/java/fake/WaitGroup.java (yours)
                    +++ solutions/module-01-fake/src/main/java/fake/WaitGroup.java (reference)
                    @@ -4,5 +4,5 @@
                      * Exercise 01.1: WaitGroup
                      */
                     class WaitGroup {
                    -    // TODO 01.1
                    +    int counter;
                     }
                    """);
        }

        @Test
        @DisplayName("unless --yes answers for the learner")
        void notWithYes() throws Exception {
            assertThat(repository.answering("", "solution", "01.1", "--yes")).isZero();
            assertThat(repository.printed()).doesNotContain("[y/N]").contains("+    int counter;");
        }

        @Test
        @DisplayName("and says the diff shows every step when the file holds several exercises")
        void warnsAboutAFileOfSeveralExercises() throws Exception {
            repository.answering("n\n", "solution", "01.2");
            assertThat(repository.printed()).contains("holds 2 exercises (01.2, 01.3)");
        }
    }

    @Test
    @DisplayName("says so when the learner's file is the reference, line for line")
    void saysSoWhenIdentical() throws Exception {
        assertThat(repository.answering("", "solution", "01.2", "--yes")).isZero();
        assertThat(repository.printed()).contains("is the same as the reference solution, line for line.")
                .doesNotContain("---");
    }

    @Test
    @DisplayName("fails and says where it looked when there is no reference solution")
    void failsWithoutAReference() throws Exception {
        Files.delete(root.resolve("solutions/" + FakeRepository.WAIT_GROUP));
        assertThat(repository.answering("", "solution", "01.1", "--yes")).isEqualTo(1);
        assertThat(repository.printed()).contains("no reference solution for 01.1 at solutions/"
                + FakeRepository.WAIT_GROUP);
    }

    @Test
    @DisplayName("without an id prints its usage and exits with 2")
    void withoutAnId() throws Exception {
        assertThat(repository.run("solution", "--yes")).isEqualTo(2);
        assertThat(repository.printed()).startsWith("Usage: ./workshop solution MM.N");
    }

    @Nested
    @DisplayName("its diff")
    class Diff {

        @Test
        @DisplayName("keeps changes more than 6 lines apart in hunks of their own, with 3 lines of context each")
        void separateHunks() {
            List<String> from = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
            List<String> to = List.of("1", "two", "3", "4", "5", "6", "7", "8", "9", "10", "11");

            assertThat(UnifiedDiff.of("a", from, "b", to, 3)).isEqualTo("""
                    --- a
                    +++ b
                    @@ -1,5 +1,5 @@
                     1
                    -2
                    +two
                     3
                     4
                     5
                    @@ -9,4 +9,3 @@
                     9
                     10
                     11
                    -12
                    """);
        }

        @Test
        @DisplayName("joins changes at most 6 lines apart into one hunk, and splits them at 7, as diff -u does")
        void oneHunkOrTwo() {
            List<String> six = List.of("a", "b", "c", "d", "e", "f");
            assertThat(UnifiedDiff.of("a", six, "b", List.of("x", "a", "b", "c", "d", "e", "f", "y"), 3))
                    .isEqualTo("""
                            --- a
                            +++ b
                            @@ -1,6 +1,8 @@
                            +x
                             a
                             b
                             c
                             d
                             e
                             f
                            +y
                            """);
            List<String> seven = List.of("a", "b", "c", "d", "e", "f", "g");
            assertThat(UnifiedDiff.of("a", seven, "b", List.of("x", "a", "b", "c", "d", "e", "f", "g", "y"), 3))
                    .isEqualTo("""
                            --- a
                            +++ b
                            @@ -1,3 +1,4 @@
                            +x
                             a
                             b
                             c
                            @@ -5,3 +6,4 @@
                             e
                             f
                             g
                            +y
                            """);
        }

        @Test
        @DisplayName("counts an empty side as diff -u does")
        void emptySide() {
            assertThat(UnifiedDiff.of("a", List.of(), "b", List.of("new"), 3))
                    .isEqualTo("--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n");
        }

        @Test
        @DisplayName("is empty for equal lines, whatever their line endings")
        void emptyForEqualLines() {
            assertThat(UnifiedDiff.of("a", UnifiedDiff.lines("x\r\ny\r\n"), "b", UnifiedDiff.lines("x\ny"), 3)).isEmpty();
        }
    }
}
