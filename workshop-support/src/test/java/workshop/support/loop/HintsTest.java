package workshop.support.loop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.exercise.Exercise;
import workshop.support.exercise.ExerciseCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("workshop hint")
class HintsTest {

    @TempDir
    Path root;

    FakeRepository repository;

    @BeforeEach
    void aRepository() throws IOException {
        repository = new FakeRepository(root);
    }

    @Nested
    @DisplayName("when no hint of the exercise was shown yet")
    class NoneShown {

        @Test
        @DisplayName("prints the first hint as plain Markdown, numbered, and says how to get the next")
        void printsTheFirstHint() throws Exception {
            assertThat(repository.run("hint", "01.1")).isZero();

            assertThat(repository.printed())
                    .startsWith("Hint 1 of 3 for 01.1 (WaitGroup):\n\nA counter, and `List<Thread>` waiters.\n")
                    .contains("The next one: ./workshop hint 01.1 (hint 2 of 3).")
                    .doesNotContain("<details>", "<summary>", "</details>", "Guard it");
        }

        @Test
        @DisplayName("shows the next unseen hint on each call, remembered in the module's build folder")
        void showsTheNextHintEachTime() throws Exception {
            repository.run("hint", "01.1");
            repository.run("hint", "01.1");
            assertThat(repository.printed()).startsWith("Hint 2 of 3 for 01.1 (WaitGroup):\n\nGuard it with one lock.");
            assertThat(Files.readString(root.resolve("module-01-fake/target/" + Hints.FILE)))
                    .as("the hints file beside the progress file").contains("01.1=2");
        }

        @Test
        @DisplayName("counts the hints the README has, not three: an exercise with one hint has one")
        void countsTheHintsTheReadmeHas() throws Exception {
            repository.run("hint", "01.2");
            assertThat(repository.printed()).startsWith("Hint 1 of 1 for 01.2 (Send):\n\nOnly one for 01.2.\n")
                    .contains("That was the last hint.");
        }
    }

    @Nested
    @DisplayName("when every hint of the exercise was shown")
    class AllShown {

        @BeforeEach
        void showAll() throws Exception {
            for (int i = 0; i < 3; i++) {
                repository.run("hint", "01.1");
            }
        }

        @Test
        @DisplayName("says so, and how to read one again, instead of starting over")
        void saysSo() throws Exception {
            assertThat(repository.run("hint", "01.1")).isZero();
            assertThat(repository.printed())
                    .contains("You have seen all 3 hints for 01.1 (WaitGroup).")
                    .contains("./workshop hint 01.1 1")
                    .contains("./workshop solution 01.1")
                    .doesNotContain("Hint 1 of 3");
        }

        @Test
        @DisplayName("shows hint K again when asked for it by number, without forgetting that all were seen")
        void showsOneAgainByNumber() throws Exception {
            assertThat(repository.run("hint", "01.1", "2")).isZero();
            assertThat(repository.printed()).startsWith("Hint 2 of 3 for 01.1 (WaitGroup):\n\nGuard it with one lock.");

            repository.run("hint", "01.1");
            assertThat(repository.printed()).contains("You have seen all 3 hints");
        }
    }

    @Nested
    @DisplayName("when it cannot show a hint")
    class WrongUsage {

        @Test
        @DisplayName("without an id prints its usage and exits with 2")
        void withoutAnId() throws Exception {
            assertThat(repository.run("hint")).isEqualTo(2);
            assertThat(repository.printed()).startsWith("Usage: ./workshop hint MM.N");
        }

        @Test
        @DisplayName("with an unknown id names the module's exercises")
        void withAnUnknownId() throws Exception {
            assertThat(repository.run("hint", "01.9")).isEqualTo(2);
            assertThat(repository.printed())
                    .isEqualTo("workshop: module-01-fake has no exercise 01.9. Its exercises: 01.1, 01.2, 01.3.\n");
        }

        @Test
        @DisplayName("with a module that does not exist names the modules that do")
        void withAnUnknownModule() throws Exception {
            assertThat(repository.run("hint", "07.1")).isEqualTo(2);
            assertThat(repository.printed()).contains("there is no module 07").contains("The modules: module-01-fake.");
        }

        @Test
        @DisplayName("with a hint number the exercise does not have says which it has")
        void withAHintNumberOutOfRange() throws Exception {
            assertThat(repository.run("hint", "01.1", "4")).isEqualTo(2);
            assertThat(repository.printed()).contains("01.1 has hints 1 to 3, not '4'");
        }

        @Test
        @DisplayName("for an exercise without hints in the README fails and points at the exercise's section")
        void forAnExerciseWithoutHints() throws Exception {
            assertThat(repository.run("hint", "01.3")).isEqualTo(1);
            assertThat(repository.printed()).contains("has no hints for 01.3")
                    .contains("module-01-fake/README.md#013-close");
        }
    }

    @Test
    @DisplayName("finds hints for every exercise of the workshop, and a reference solution for each")
    void everyExerciseOfTheWorkshopHasHintsAndASolution() throws IOException {
        Path workshop = SolutionDiffTest.workshopRoot();
        int exercises = 0;
        for (ExerciseCatalog module : ExerciseCatalog.allModules(workshop)) {
            String readme = Files.readString(module.moduleDirectory().resolve("README.md"));
            for (Exercise exercise : module.exercises()) {
                exercises++;
                assertThat(Hints.hints(readme, exercise.id())).as("the hints of %s in its README", exercise.id())
                        .isNotEmpty()
                        .allSatisfy(hint -> assertThat(hint).isNotBlank().doesNotContain("<details>", "</summary>"));
                assertThat(workshop.resolve("solutions").resolve(exercise.displayPath()))
                        .as("the reference solution of %s", exercise.id()).isRegularFile();
            }
        }
        assertThat(exercises).as("exercises found, so the check checks something").isPositive();
    }
}
