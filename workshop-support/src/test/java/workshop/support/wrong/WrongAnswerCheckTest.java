package workshop.support.wrong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.TimeLimit;
import workshop.support.fixtures.FakeModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the wrong-answers check bites: a wrong answer the tests reject with the expected text passes the check; one
 * they do not reject, one they reject with another message, and one that does not compile are each reported; a right
 * answer they accept passes, one they reject is reported.
 */
@DisplayName("The wrong-answers check")
@TimeLimit(seconds = 120)
class WrongAnswerCheckTest {

    @TempDir
    static Path repo;

    static Path reference;
    static Path testClasses;
    static List<String> classPath;

    private static final String ADDER = """
            package fake;
            public final class Adder {
                public static int add(int a, int b) { return %s; }
            }
            """;

    @BeforeAll
    static void aModuleWithOneExerciseAndItsTest() throws IOException {
        FakeModule module = new FakeModule(repo, "module-99-fake");
        classPath = FakeModule.classPath();
        Path adder = module.write("target/solutions/solution-sources", "fake/Adder.java", ADDER.formatted("a + b"));
        reference = adder.getParent().getParent();
        // the reference's tests, where the solutions profile puts them (beside the reference sources)
        Path test = module.write("target/solutions/solution-test-sources", "fake/AdderTest.java", """
                package fake;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;
                import static org.assertj.core.api.Assertions.assertThat;
                @Tag("99.1")
                class AdderTest {
                    @Test
                    void addsTwoAndTwo() {
                        assertThat(Adder.add(2, 2)).as("[99.1] 2 + 2").isEqualTo(4);
                    }
                }
                """);
        // a second exercise whose answer is not Java: a file of the sources that the build puts on the classpath
        Path manifest = module.write("target/solutions/solution-sources", "fake/sum.yaml", "sum: 4\n");
        Path manifestTest = module.write("target/solutions/solution-test-sources", "fake/SumFileTest.java", """
                package fake;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;
                import java.nio.charset.StandardCharsets;
                import static org.assertj.core.api.Assertions.assertThat;
                @Tag("99.2")
                class SumFileTest {
                    @Test
                    void saysFour() throws Exception {
                        try (var in = SumFileTest.class.getResourceAsStream("/fake/sum.yaml")) {
                            assertThat(in).as("[99.2] fake/sum.yaml on the classpath").isNotNull();
                            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                                    .as("[99.2] the sum in the file").startsWith("sum: 4");
                        }
                    }
                }
                """);
        // an end-to-end test of exercise 99.1 that fails whenever it runs: left out unless an answer asks for it
        Path endToEnd = module.write("target/solutions/solution-test-sources", "fake/AdderEndToEndTest.java", """
                package fake;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;
                import static org.assertj.core.api.Assertions.fail;
                @Tag("99.1")
                @Tag("end-to-end")
                class AdderEndToEndTest {
                    @Test
                    void runsTheWholeService() {
                        fail("[99.1] the end-to-end test ran");
                    }
                }
                """);
        Path classes = module.compile("target/solutions/classes", List.of(adder));
        Files.copy(manifest, classes.resolve("fake/sum.yaml")); // as the module's build does
        testClasses = module.compile("target/solutions/test-classes", List.of(test, manifestTest, endToEnd),
                classes.toString());

        wrongAnswer("99.1-subtracts", "expect=[99.1] 2 + 2", "a - b");
        wrongAnswer("99.1-swaps-the-operands", "expect=[99.1] 2 + 2", "b + a");
        wrongAnswer("99.1-says-something-else", "expect=[99.1] carries the one", "0");
        wrongAnswer("99.1-does-not-compile", "expect=[99.1] 2 + 2", "a +");
        rightAnswer("99.1-subtracts-a-negative", "a - -b");
        diffAnswer("99.1-doubles-a-as-a-diff", "a + b", "a + a + 1");
        diffAnswer("99.1-stale-diff", "a * b", "a + a");
        rightAnswer("99.1-off-by-one", "a + b + 1");
        rightAnswer("99.1-end-to-end-too", "a + b");
        Files.writeString(WrongAnswer.rightFolderOf(repo, "module-99-fake").resolve("99.1-end-to-end-too")
                .resolve(WrongAnswer.RIGHT_DESCRIPTOR), "exercise=99.1\nwhat=runs the end-to-end tests too\nend-to-end=true\n");
        testDiffAnswer("99.1-test-expects-five", "[99.1] two and two make five", "isEqualTo(4)", "isEqualTo(5)");
        testDiffAnswer("99.1-test-stale-diff", "[99.1] two and two make five", "isEqualTo(22)", "isEqualTo(5)");
        testDiffAnswer("99.1-test-does-not-compile", "[99.1] two and two make five", "isEqualTo(4)", "isEqualTo(4");
        resourceDiffAnswer(false, "99.2-says-five", "sum: 5");
        resourceDiffAnswer(true, "99.2-says-four-with-a-comment", "sum: 4 # two and two");
    }

    @Test
    @DisplayName("accepts a wrong answer that the exercise's tests reject with the expected text")
    void acceptsARejectedWrongAnswer() throws Exception {
        WrongAnswerCheck.Verdict verdict = check("99.1-subtracts");
        assertThat(verdict.defect()).as("defect of a wrong answer that the tests reject").isEmpty();
        assertThat(verdict.evidence()).contains("[99.1] 2 + 2");
    }

    @Test
    @DisplayName("reports a wrong answer that every test of its exercise passes")
    void reportsASurvivor() throws Exception {
        assertThat(check("99.1-swaps-the-operands").defect()).hasValueSatisfying(defect ->
                assertThat(defect).startsWith("SURVIVED").contains("99.1"));
    }

    @Test
    @DisplayName("checks a defect once more: a wrong answer caught on the second run passes, reported as flaky")
    void settlesAFlakyDefect() throws Exception {
        WrongAnswer answer = WrongAnswer.findAll(WrongAnswer.folderOf(repo, "module-99-fake")).getFirst();
        WrongAnswerCheck.Verdict survived = new WrongAnswerCheck.Verdict(answer, Duration.ofSeconds(1), "",
                Optional.of("SURVIVED: all 1 tests of 99.1 passed"));
        WrongAnswerCheck.Verdict caught = new WrongAnswerCheck.Verdict(answer, Duration.ofSeconds(2), "[99.1] 2 + 2",
                Optional.empty());

        WrongAnswerCheck.Verdict settled = WrongAnswerCheck.settle(survived, () -> caught);
        assertThat(settled.defect()).as("defect after a second run that caught it").isEmpty();
        assertThat(settled.flaky()).as("the first run's defect, kept as flaky").contains(survived.defect().get());
        assertThat(WrongAnswerCheck.report("module-99-fake", List.of(settled)))
                .contains("FLAKY", "SURVIVED", "WRONG ANSWERS CHECK PASSED", "1 flaky");

        assertThat(WrongAnswerCheck.settle(survived, () -> survived).defect())
                .as("a defect that the second run repeats stands").isPresent();
        assertThat(WrongAnswerCheck.report("module-99-fake", List.of(survived))).contains("CHECK FAILED");
        WrongAnswerCheck.Verdict uncompilable = new WrongAnswerCheck.Verdict(answer, Duration.ZERO, "",
                Optional.of("does not compile: x"));
        assertThat(WrongAnswerCheck.settle(uncompilable, () -> {
            throw new AssertionError("an answer that does not compile is not run again");
        })).isSameAs(uncompilable);
        assertThat(WrongAnswerCheck.settle(caught, () -> {
            throw new AssertionError("a verdict without a defect is not checked again");
        })).isSameAs(caught);
    }

    @Test
    @DisplayName("reports a wrong answer rejected without the failure it should teach")
    void reportsTheWrongMessage() throws Exception {
        assertThat(check("99.1-says-something-else").defect()).hasValueSatisfying(defect ->
                assertThat(defect).contains("no failure says \"[99.1] carries the one\"").contains("[99.1] 2 + 2"));
    }

    @Test
    @DisplayName("reports a wrong answer that does not compile")
    void reportsACompileError() throws Exception {
        assertThat(check("99.1-does-not-compile").defect()).hasValueSatisfying(defect ->
                assertThat(defect).startsWith("does not compile").contains("fake/Adder.java:3"));
    }

    @Test
    @DisplayName("applies a wrong answer given as a diff against the reference, and reports a diff that no longer applies")
    void appliesDiffs() throws Exception {
        WrongAnswerCheck.Verdict applied = check("99.1-doubles-a-as-a-diff");
        assertThat(applied.defect()).as("defect of a wrong answer given as a diff").isEmpty();
        assertThat(applied.evidence()).contains("[99.1] 2 + 2");
        assertThat(check("99.1-stale-diff").defect()).hasValueSatisfying(defect ->
                assertThat(defect).startsWith("does not apply").contains("fake/Adder.java"));
    }

    @Test
    @DisplayName("applies a diff of the reference's test (src/test/java/...), runs the changed test in its place, and "
            + "reports one that no longer applies or does not compile")
    void appliesTestDiffs() throws Exception {
        WrongAnswerCheck.Verdict changed = check("99.1-test-expects-five");
        assertThat(changed.defect()).as("defect of a wrong answer that changes the test (the reference's own test "
                + "passes on the reference: only the changed test can reject it)").isEmpty();
        assertThat(changed.evidence()).contains("[99.1] two and two make five");
        assertThat(check("99.1-test-stale-diff").defect()).hasValueSatisfying(defect ->
                assertThat(defect).startsWith("does not apply").contains("src/test/java/fake/AdderTest.java"));
        assertThat(check("99.1-test-does-not-compile").defect()).hasValueSatisfying(defect ->
                assertThat(defect).startsWith("does not compile: (tests)").contains("fake/AdderTest.java"));
    }

    @Test
    @DisplayName("puts the answer's files that are not Java (a YAML manifest) on the tests' classpath, patched as the "
            + "answer has them")
    void patchesFilesThatAreNotJava() throws Exception {
        WrongAnswerCheck.Verdict wrong = check("99.2-says-five");
        assertThat(wrong.defect()).as("defect of a wrong YAML file (the reference's says four)").isEmpty();
        assertThat(wrong.evidence()).contains("[99.2] the sum in the file");
        assertThat(checkRight("99.2-says-four-with-a-comment").defect())
                .as("defect of a right YAML file (found on the classpath only if the check copies it there)").isEmpty();
    }

    @Test
    @DisplayName("accepts a right answer other than the reference that every test of its exercise passes")
    void acceptsARightAnswer() throws Exception {
        WrongAnswerCheck.Verdict verdict = checkRight("99.1-subtracts-a-negative");
        assertThat(verdict.defect()).as("defect of a right answer").isEmpty();
        assertThat(verdict.evidence()).isEqualTo("all 1 tests passed");
    }

    @Test
    @DisplayName("runs an exercise's end-to-end tests only for an answer that asks for them (end-to-end=true)")
    void runsEndToEndTestsOnlyWhenAsked() throws Exception {
        assertThat(checkRight("99.1-subtracts-a-negative").evidence()).as("an answer that does not ask")
                .isEqualTo("all 1 tests passed");
        assertThat(checkRight("99.1-end-to-end-too").defect()).as("an answer that asks")
                .hasValueSatisfying(defect -> assertThat(defect).contains("[99.1] the end-to-end test ran"));
    }

    @Test
    @DisplayName("reports a right answer that the exercise's tests reject")
    void reportsARejectedRightAnswer() throws Exception {
        assertThat(checkRight("99.1-off-by-one").defect()).hasValueSatisfying(defect ->
                assertThat(defect).startsWith("REJECTED A RIGHT ANSWER").contains("[99.1] 2 + 2"));
    }

    @Test
    @DisplayName("finds a module's wrong answers in solutions/wrong-answers/<module>, in name order")
    void findsTheWrongAnswers() {
        assertThat(WrongAnswer.findAll(WrongAnswer.folderOf(repo, "module-99-fake")))
                .extracting(WrongAnswer::name)
                .containsExactly("99.1-does-not-compile", "99.1-doubles-a-as-a-diff", "99.1-says-something-else",
                        "99.1-stale-diff", "99.1-subtracts", "99.1-swaps-the-operands", "99.1-test-does-not-compile",
                        "99.1-test-expects-five", "99.1-test-stale-diff", "99.2-says-five");
    }

    private static WrongAnswerCheck.Verdict check(String name) throws Exception {
        WrongAnswer wrongAnswer = WrongAnswer.read(WrongAnswer.folderOf(repo, "module-99-fake").resolve(name));
        return WrongAnswerCheck.check(wrongAnswer, reference, testClasses, classPath, List.of(),
                repo.resolve("module-99-fake/target/wrong-answers"));
    }

    private static WrongAnswerCheck.Verdict checkRight(String name) throws Exception {
        WrongAnswer rightAnswer = WrongAnswer.read(WrongAnswer.rightFolderOf(repo, "module-99-fake").resolve(name));
        assertThat(rightAnswer.right()).isTrue();
        return WrongAnswerCheck.check(rightAnswer, reference, testClasses, classPath, List.of(),
                repo.resolve("module-99-fake/target/wrong-answers"));
    }

    private static void rightAnswer(String name, String body) throws IOException {
        Path dir = WrongAnswer.rightFolderOf(repo, "module-99-fake").resolve(name);
        write(dir, WrongAnswer.RIGHT_DESCRIPTOR, "exercise=99.1\nwhat=" + name + "\n");
        write(dir.resolve("src/main/java"), "fake/Adder.java", ADDER.formatted(body));
    }

    /** A wrong answer as a diff that turns {@code from} into {@code to} in the reference's add(). */
    private static void diffAnswer(String name, String from, String to) throws IOException {
        Path dir = WrongAnswer.folderOf(repo, "module-99-fake").resolve(name);
        write(dir, WrongAnswer.DESCRIPTOR, "exercise=99.1\nwhat=" + name + "\nexpect=[99.1] 2 + 2\n");
        write(dir, "wrong-answer.diff", """
                --- a/fake/Adder.java
                +++ b/fake/Adder.java
                @@ -2,3 +2,3 @@
                 public final class Adder {
                -    public static int add(int a, int b) { return %s; }
                +    public static int add(int a, int b) { return %s; }
                 }
                """.formatted(from, to));
    }

    /** A wrong answer as a diff of the reference's test: turns {@code from} into {@code to}, with a new message. */
    private static void testDiffAnswer(String name, String expect, String from, String to) throws IOException {
        Path dir = WrongAnswer.folderOf(repo, "module-99-fake").resolve(name);
        write(dir, WrongAnswer.DESCRIPTOR, "exercise=99.1\nwhat=" + name + "\nexpect=" + expect + "\n");
        write(dir, "wrong-answer.diff", """
                --- a/src/test/java/fake/AdderTest.java
                +++ b/src/test/java/fake/AdderTest.java
                @@ -8,3 +8,3 @@
                     void addsTwoAndTwo() {
                -        assertThat(Adder.add(2, 2)).as("[99.1] 2 + 2").%s;
                +        assertThat(Adder.add(2, 2)).as("%s").%s;
                     }
                """.formatted(from, expect, to));
    }

    /** An answer of 99.2 as a diff of the reference's YAML file: its one line becomes {@code to}. */
    private static void resourceDiffAnswer(boolean right, String name, String to) throws IOException {
        Path dir = (right ? WrongAnswer.rightFolderOf(repo, "module-99-fake") : WrongAnswer.folderOf(repo,
                "module-99-fake")).resolve(name);
        write(dir, right ? WrongAnswer.RIGHT_DESCRIPTOR : WrongAnswer.DESCRIPTOR, "exercise=99.2\nwhat=" + name + "\n"
                + (right ? "" : "expect=[99.2] the sum in the file\n"));
        write(dir, (right ? "right" : "wrong") + "-answer.diff", """
                --- a/fake/sum.yaml
                +++ b/fake/sum.yaml
                @@ -1 +1 @@
                -sum: 4
                +%s
                """.formatted(to));
    }

    private static void wrongAnswer(String name, String expect, String body) throws IOException {
        Path dir = WrongAnswer.folderOf(repo, "module-99-fake").resolve(name);
        write(dir, WrongAnswer.DESCRIPTOR, "exercise=99.1\nwhat=" + name + "\n" + expect + "\n");
        write(dir.resolve("src/main/java"), "fake/Adder.java", ADDER.formatted(body));
    }

    private static void write(Path root, String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
