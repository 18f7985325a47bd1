package workshop.support.progress;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.exercise.ExerciseCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Progress")
class ProgressTest {

    @TempDir
    Path repository;

    private Path module(String name, String... exercises) throws IOException {
        Path sources = Files.createDirectories(repository.resolve(name).resolve("src/main/java/x"));
        for (String exercise : exercises) {
            String[] idAndTitle = exercise.split(" ", 2);
            Files.writeString(sources.resolve("E" + idAndTitle[0].replace(".", "_") + ".java"),
                    "/**\n * Exercise " + idAndTitle[0] + ": " + idAndTitle[1] + "\n */\nclass E {}\n");
        }
        Files.writeString(sources.resolve("Helper.java"), "/** Not an exercise. */\nclass Helper {}\n");
        return repository.resolve(name);
    }

    @Test
    @DisplayName("counts exercises from the sources, in numeric order, ignoring files without a header")
    void countsExercisesFromTheSources() throws IOException {
        Path module = module("module-01-x", "01.10 Tenth", "01.2 Second", "01.1 First");

        assertThat(ExerciseCatalog.of(module).exercises())
                .extracting(e -> e.id() + " " + e.title())
                .containsExactly("01.1 First", "01.2 Second", "01.10 Tenth");
    }

    @Test
    @DisplayName("counts every step of a type built in steps as an exercise of its own, in the same file")
    void countsEveryStepOfATypeBuiltInSteps() throws IOException {
        Path module = module("module-02-x");
        Path file = module.resolve("src/main/java/x/Steps.java");
        Files.writeString(file, "/**\n * <ul>\n * <li>Exercise 02.1: Send\n * <li>Exercise 02.2: Close\n * </ul>\n */\nclass Steps {}\n");

        assertThat(ExerciseCatalog.of(module).exercises())
                .extracting(e -> e.id() + " " + e.title() + " " + e.source())
                .containsExactly("02.1 Send " + module.relativize(file), "02.2 Close " + module.relativize(file));
    }

    @Test
    @DisplayName("counts an exercise whose answer is a YAML file (a comment header beside the sources) and says to "
            + "edit that file")
    void countsAnExerciseDeclaredInAYamlFile() throws IOException {
        Path module = module("module-06-x", "06.1 First");
        Path k8s = Files.createDirectories(module.resolve("src/main/java/x/k8s"));
        Files.writeString(k8s.resolve("catalog.yaml"), "# Exercise 06.21: The manifest\n#   the goal\n"
                + "apiVersion: apps/v1\nkind: Deployment\n");
        Files.writeString(k8s.resolve("notes.yaml"), "# Not an exercise: Exercise 06.21 is in catalog.yaml\na: 1\n");
        Files.writeString(k8s.resolve("catalog.txt"), "# Exercise 06.22: Not a file that may declare one\n");

        assertThat(ExerciseCatalog.of(module).exercises())
                .extracting(e -> e.id() + " " + e.title() + " " + e.displayPath())
                .containsExactly("06.1 First module-06-x/src/main/java/x/E06_1.java",
                        "06.21 The manifest module-06-x/src/main/java/x/k8s/catalog.yaml");
        Progress progress = new Progress(Map.of(Progress.key("06.1", "t"), true, Progress.key("06.21", "u"), false));
        assertThat(ProgressReport.render(ExerciseCatalog.of(module), progress, repository, "target"))
                .contains("Next: 06.21 The manifest")
                .contains("edit  module-06-x/src/main/java/x/k8s/catalog.yaml");
    }

    @Test
    @DisplayName("counts an exercise whose answer is a test (a header under src/test/java) and says to edit that test")
    void countsAnExerciseDeclaredInATestFile() throws IOException {
        Path module = module("module-05-x", "05.1 First");
        Path tests = Files.createDirectories(module.resolve("src/test/java/x"));
        Files.writeString(tests.resolve("TableTest.java"),
                "/**\n * Exercise 05.11: A test that bites\n */\nclass TableTest {}\n");
        Files.writeString(tests.resolve("OtherTest.java"), "/** Exercise 05.11's graded test. */\nclass OtherTest {}\n");

        assertThat(ExerciseCatalog.of(module).exercises())
                .extracting(e -> e.id() + " " + e.title() + " " + e.displayPath())
                .containsExactly("05.1 First module-05-x/src/main/java/x/E05_1.java",
                        "05.11 A test that bites module-05-x/src/test/java/x/TableTest.java");
        Progress progress = new Progress(Map.of(Progress.key("05.1", "t"), true, Progress.key("05.11", "u"), false));
        assertThat(ProgressReport.render(ExerciseCatalog.of(module), progress, repository, "target"))
                .contains("Next: 05.11 A test that bites")
                .contains("edit  module-05-x/src/test/java/x/TableTest.java");
    }

    @Test
    @DisplayName("links each exercise to its README section the way GitHub anchors headings")
    void linksToTheReadmeSection() throws IOException {
        Path module = module("module-01-x", "01.4 Once with Go's semantics");

        assertThat(ExerciseCatalog.of(module).exercises().getFirst().readmeLink())
                .isEqualTo("module-01-x/README.md#014-once-with-gos-semantics");
    }

    @Test
    @DisplayName("keeps what earlier runs found when a run covers only some exercises")
    void keepsEarlierResults(@TempDir Path build) {
        new Progress(Map.of(Progress.key("01.1", "a"), true, Progress.key("01.2", "b"), false)).write(build);

        Progress merged = Progress.read(build).updatedWith(Map.of(Progress.key("01.2", "b"), true));

        assertThat(merged.isSolved("01.1")).isTrue();
        assertThat(merged.isSolved("01.2")).isTrue();
    }

    @Test
    @DisplayName("does not call an exercise solved when only some of its tests passed, or none ran")
    void needsEveryTestOfAnExercise(@TempDir Path build) {
        new Progress(Map.of(Progress.key("01.3", "x"), false, Progress.key("01.3", "y"), false)).write(build);

        Progress afterOneTestPassed = Progress.read(build).updatedWith(Map.of(Progress.key("01.3", "x"), true));

        assertThat(afterOneTestPassed.isSolved("01.3")).as("one of two tests passed").isFalse();
        assertThat(afterOneTestPassed.isSolved("01.4")).as("no test of 01.4 ran").isFalse();
    }

    @Test
    @DisplayName("reports the total, each module's count, and the next exercise with why it fails and how to run it")
    void reportsCountNextAndTotal() throws IOException {
        Path first = module("module-01-x", "01.1 First", "01.2 Second");
        module("module-02-y", "02.1 Other", "02.2 Another"); // never built: no progress file
        Progress progress = new Progress(Map.of(Progress.key("01.1", "t"), true, Progress.key("01.2", "u"), false),
                Map.of(Progress.key("01.2", "u"), "[01.2] expected 4 calls in flight, saw 1"));

        String report = ProgressReport.render(ExerciseCatalog.of(first), progress, repository, "target");

        assertThat(report)
                .contains("Workshop progress: 1 of 4 exercises solved")
                .containsPattern("module-01-x +1/2 ")
                .containsPattern("module-02-y +0/2 ")
                .contains("Next: 01.2 Second")
                .contains("why   [01.2] expected 4 calls in flight, saw 1")
                .contains("read  module-01-x/README.md#012-second")
                .contains("edit  module-01-x/src/main/java/x/E01_2.java")
                .contains("run   ./mvnw test -pl module-01-x -am -Dgroups=01.2")
                .contains("watch ./workshop watch 01.2");
    }

    @Test
    @DisplayName("points to the next module when a module is done, and names modules the build did not run")
    void pointsToTheNextModule() throws IOException {
        module("module-01-x", "01.1 First");
        module("module-02-y", "02.1 Other");
        Progress done = new Progress(Map.of(Progress.key("01.1", "t"), true));

        String report = ProgressReport.render(repository, "target", Map.of("module-01-x", done), java.util.Set.of("module-02-y"));

        assertThat(report)
                .contains("module-01-x is done: compare yours with solutions/module-01-x")
                .contains("On to module-02-y")
                .contains("Next: 02.1 Other")
                .contains("why   its tests have not run yet")
                .containsPattern("module-02-y +0/1 .*not run in this build");
    }

    @Test
    @DisplayName("says a stub is not solved yet in a few words rather than quoting its whole message")
    void shortensTheStubsSignal() {
        assertThat(ProgressReport.why("Not solved yet: exercise 01.3 (WaitGroup). Edit x where it says TODO 01.3; ..."))
                .isEqualTo("not solved yet: the stub still throws NotSolvedYet where it says TODO");
    }

    @Test
    @DisplayName("keeps why a test failed until it passes")
    void keepsWhyATestFailed(@TempDir Path build) {
        String key = Progress.key("01.5", "t");
        new Progress(Map.of(key, false), Map.of(key, "[01.5] expected 2, saw 1")).write(build);

        assertThat(Progress.read(build).firstFailure("01.5")).hasValue("[01.5] expected 2, saw 1");
        assertThat(Progress.read(build).updatedWith(Map.of(key, true)).firstFailure("01.5")).isEmpty();
    }
}
