package workshop.support.wrong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("A wrong answer's diff")
class PatchTest {

    @TempDir
    Path src;

    @Test
    @DisplayName("changes every file it names, hunk by hunk, also where the reference's lines have moved")
    void appliesAMultiFileDiff() throws IOException {
        Files.createDirectories(src.resolve("p"));
        Files.writeString(src.resolve("p/A.java"), "one\ntwo\nthree\nfour\n");
        Files.writeString(src.resolve("p/B.java"), "moved\nalpha\nbeta\n");
        Path diff = Files.writeString(src.resolve("x.diff"), """
                --- a/p/A.java
                +++ b/p/A.java
                @@ -1,2 +1,3 @@
                +zero
                 one
                 two
                @@ -3,2 +4,2 @@
                 three
                -four
                +FOUR
                --- a/p/B.java
                +++ b/p/B.java
                @@ -1,2 +1,2 @@
                 alpha
                -beta
                +BETA
                """);

        Patch.apply(diff, src);

        assertThat(Files.readString(src.resolve("p/A.java"))).isEqualTo("zero\none\ntwo\nthree\nFOUR\n");
        assertThat(Files.readString(src.resolve("p/B.java"))).isEqualTo("moved\nalpha\nBETA\n");
    }

    @Test
    @DisplayName("applies a path under src/test/java/ to the reference's tests, and says which test files it changed")
    void appliesTestPathsToTheTests(@TempDir Path tests) throws IOException {
        Files.createDirectories(src.resolve("p"));
        Files.createDirectories(tests.resolve("p"));
        Files.writeString(src.resolve("p/A.java"), "main\n");
        Files.writeString(tests.resolve("p/ATest.java"), "assert four\n");
        Path diff = Files.writeString(src.resolve("x.diff"), """
                --- a/p/A.java
                +++ b/p/A.java
                @@ -1 +1 @@
                -main
                +MAIN
                --- a/src/test/java/p/ATest.java
                +++ b/src/test/java/p/ATest.java
                @@ -1 +1 @@
                -assert four
                +assert five
                """);

        assertThat(Patch.apply(diff, src, tests)).containsExactly(Path.of("p/ATest.java"));

        assertThat(Files.readString(src.resolve("p/A.java"))).isEqualTo("MAIN\n");
        assertThat(Files.readString(tests.resolve("p/ATest.java"))).isEqualTo("assert five\n");
        Path testOnly = Files.writeString(src.resolve("y.diff"),
                "--- a/src/test/java/p/ATest.java\n+++ b/src/test/java/p/ATest.java\n@@ -1 +1 @@\n-assert five\n+six\n");
        assertThatThrownBy(() -> Patch.apply(testOnly, src)).as("a test path without test sources to patch")
                .hasMessageContaining("no file src/test/java/p/ATest.java in the reference's tests");
    }

    @Test
    @DisplayName("fails, naming the file and line, when a hunk no longer matches the reference")
    void failsOnAStaleHunk() throws IOException {
        Files.writeString(src.resolve("A.java"), "one\n");
        Path diff = Files.writeString(src.resolve("x.diff"), "--- a/A.java\n+++ b/A.java\n@@ -1 +1 @@\n-uno\n+eins\n");

        assertThatThrownBy(() -> Patch.apply(diff, src))
                .hasMessageContaining("a hunk at line 1 of A.java no longer matches the reference");
    }
}
