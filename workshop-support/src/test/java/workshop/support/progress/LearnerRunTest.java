package workshop.support.progress;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.TimeLimit;
import workshop.support.fixtures.FakeModule;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A learner's run of a made-up module: what it prints, what it records, and how it survives a test JVM's end. */
@DisplayName("A learner's run")
@TimeLimit(seconds = 120)
class LearnerRunTest {

    @TempDir
    static Path repo;

    static FakeModule module;
    static Path testClasses;

    @BeforeAll
    static void aModuleWithThreeExercises() throws IOException {
        module = new FakeModule(repo, "module-98-fake");
        List<Path> sources = List.of(
                module.write("src/main/java", "fake/Adder.java",
                        "package fake;\n/**\n * Exercise 98.1: Add\n */\npublic final class Adder {\n"
                        + "    public static int add(int a, int b) { return a + b; }\n}\n"),
                module.write("src/main/java", "fake/Halver.java",
                        "package fake;\n/**\n * Exercise 98.2: Halve\n */\npublic final class Halver {\n"
                        + "    public static int halve(int a) { return a; }\n}\n"),
                module.write("src/main/java", "fake/Quitter.java",
                        "package fake;\n/**\n * Exercise 98.3: Quit\n */\npublic final class Quitter {\n"
                        + "    public static void quit() { System.exit(3); }\n}\n"));
        Path classes = module.compile("target/classes", sources);
        List<Path> tests = List.of(
                module.write("src/test/java", "fake/AdderTest.java", test("98.1", "Adder.add(2, 2)", "4")),
                module.write("src/test/java", "fake/HalverTest.java", test("98.2", "Halver.halve(4)", "2")),
                module.write("src/test/java", "fake/QuitterTest.java", """
                        package fake;
                        import org.junit.jupiter.api.Tag;
                        import org.junit.jupiter.api.Test;
                        @Tag("98.3")
                        class QuitterTest {
                            @Test
                            void quits() { Quitter.quit(); }
                        }
                        """));
        testClasses = module.compile("target/test-classes", tests, classes.toString());
    }

    private static String test(String id, String call, String expected) {
        return """
                package fake;
                import org.junit.jupiter.api.DisplayName;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;
                import static org.assertj.core.api.Assertions.assertThat;
                @Tag("%1$s")
                @DisplayName("%1$s the test")
                class T {
                    @Test
                    void works() {
                        assertThat(%2$s).as("[%1$s] %2$s").isEqualTo(%3$s);
                    }
                }
                """.formatted(id, call, expected).replace("class T", "class " + call.substring(0, call.indexOf('.')) + "Test");
    }

    private record Run(int status, String output) {
    }

    private static Run run(String groups, String strict, String reactor) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            int status = LearnerRun.run(new String[]{module.directory().toString(), testClasses.toString(), reactor,
                    "build-" + System.nanoTime(), groups, "", strict, "", "", ""}, out);
            return new Run(status, bytes.toString(StandardCharsets.UTF_8));
        }
    }

    private static String reactorOfThisModuleOnly() {
        return "reactor: [MavenProject: fake:module-98-fake:1 @ " + module.directory().resolve("pom.xml") + "]";
    }

    @Test
    @DisplayName("prints a line per exercise, the module's count, and last the box with the next exercise and why")
    void printsALinePerExerciseThenTheBox() throws Exception {
        Run run = run("98.1 | 98.2", "false", reactorOfThisModuleOnly());

        assertThat(run.status()).as("a red test does not fail a learner's build").isZero();
        assertThat(run.output())
                .contains("module-98-fake: running 2 tests")
                .containsPattern("\\[x] 98.1 the test \\.+ all 1 passed")
                .containsPattern("\\[ ] 98.2 the test \\.+ 0 of 1 passed")
                .contains("module-98-fake: 1 of 3 exercises solved; every failure in full: "
                          + "module-98-fake/target/workshop-report.txt")
                .contains("Next: 98.2 Halve")
                .contains("why   [98.2] Halver.halve(4)")
                .contains("run   ./mvnw test -pl module-98-fake -am -Dgroups=98.2");
        assertThat(run.output().strip()).as("the box is the last thing printed").endsWith("-".repeat(78));
        assertThat(Files.readString(module.directory().resolve("target/workshop-report.txt")))
                .contains("98.2 the test > works").contains("expected: 2");
    }

    @Test
    @DisplayName("fails the build on a red test only when strict, as CI runs it")
    void failsOnlyWhenStrict() throws Exception {
        assertThat(run("98.2", "true", reactorOfThisModuleOnly()).status()).isEqualTo(1);
        assertThat(run("98.1", "true", reactorOfThisModuleOnly()).status()).isZero();
    }

    @Test
    @DisplayName("prints no box when a later exercise module of the same build will print it")
    void leavesTheBoxToTheLastModule() throws Exception {
        String reactor = reactorOfThisModuleOnly().replace("]", ", MavenProject: fake:module-99-later:1 @ "
                + repo.resolve("module-99-later/pom.xml") + "]");
        new FakeModule(repo, "module-99-later").write("src/main/java", "later/L.java", "/**\n * Exercise 99.1: Later\n */\n");

        assertThat(run("98.1", "false", reactor).output()).doesNotContain("Workshop progress");
    }

    @Test
    @DisplayName("says so, and still prints the box, when the code under test ends the test JVM")
    void survivesSystemExit() throws Exception {
        Run run = run("98.3", "false", reactorOfThisModuleOnly());

        assertThat(run.output())
                .contains("The test JVM ended before its tests did (exit code 3)")
                .contains("System.exit")
                .containsPattern("module-98-fake +\\d/3 .*not run in this build")
                .contains("Workshop progress");
        assertThat(run("98.3", "true", reactorOfThisModuleOnly()).status()).as("strict").isEqualTo(1);
    }

    @Test
    @DisplayName("finds the exercise modules of the build in Maven's list of its projects, in build order")
    void findsTheExerciseModulesOfTheBuild() throws Exception {
        String reactor = "reactor: [MavenProject: x:root:1 @ " + repo.resolve("pom.xml") + ", MavenProject: "
                + "fake:module-98-fake:1 @ " + module.directory().resolve("pom.xml") + "]";

        assertThat(LearnerRun.exerciseModules(reactor, repo)).containsExactly(module.directory());
        assertThat(LearnerRun.value("${groups}")).isEmpty();
        assertThat(LearnerRun.value(" 01.3 ")).isEqualTo("01.3");
    }
}
