package workshop.support.loop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("workshop reset")
class ResetTest {

    static final String EDITED = FakeRepository.STARTER.replace("// TODO 01.1", "int mine; // the learner's work");

    @TempDir
    Path root;

    FakeRepository repository;

    @BeforeEach
    void aClonedRepository() throws Exception {
        repository = new FakeRepository(root).committed();
    }

    /** The saved copies beside the learner's file, oldest name first. */
    List<Path> saves() throws IOException {
        Path file = root.resolve(FakeRepository.WAIT_GROUP);
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().startsWith("WaitGroup.java.saved-")).sorted()
                    .toList();
        }
    }

    @Nested
    @DisplayName("when the learner has edited the file")
    class Edited {

        @BeforeEach
        void edit() throws IOException {
            repository.write(FakeRepository.WAIT_GROUP, EDITED);
        }

        @Test
        @DisplayName("saves the learner's file beside it, not as a .java file, then puts the starter back")
        void savesThenResets() throws Exception {
            assertThat(repository.run("reset", "01.1")).isZero();

            assertThat(repository.read(FakeRepository.WAIT_GROUP)).isEqualTo(FakeRepository.STARTER);
            assertThat(saves()).singleElement().satisfies(saved -> {
                assertThat(saved.getFileName().toString()).matches("WaitGroup\\.java\\.saved-\\d{8}-\\d{6}");
                assertThat(Files.readString(saved)).as("the learner's work, kept").isEqualTo(EDITED);
            });
            assertThat(repository.printed())
                    .contains("Saved yours as " + root.relativize(saves().getFirst()).toString().replace('\\', '/'))
                    .contains("To get yours back: ");
        }

        @Test
        @DisplayName("twice in a row keeps both versions, under two names")
        void twiceKeepsBoth() throws Exception {
            repository.run("reset", "01.1");
            String second = EDITED.replace("int mine;", "int mineAgain;");
            repository.write(FakeRepository.WAIT_GROUP, second);
            repository.run("reset", "01.1");

            assertThat(saves()).hasSize(2);
            assertThat(saves()).extracting(Files::readString).as("both versions of the learner's file")
                    .containsExactlyInAnyOrder(EDITED, second);
            assertThat(repository.read(FakeRepository.WAIT_GROUP)).isEqualTo(FakeRepository.STARTER);
        }

        @Test
        @DisplayName("changes nothing when the save fails")
        void changesNothingWhenTheSaveFails() throws Exception {
            int status = Reset.run(repository.invocation("", "01.1"), file -> {
                throw new IOException("disk full");
            });

            assertThat(status).isEqualTo(1);
            assertThat(repository.read(FakeRepository.WAIT_GROUP)).as("the learner's file, untouched")
                    .isEqualTo(EDITED);
            assertThat(repository.printed()).contains("could not save your").contains("disk full")
                    .contains("changed nothing");
        }

        @Test
        @DisplayName("takes the starter from the upstream commit, not from the learner's own later commits")
        void takesTheUpstreamStarter() throws Exception {
            repository.git("update-ref", "refs/remotes/origin/main", "HEAD");
            repository.commitAll("the learner's work, committed");

            assertThat(repository.run("reset", "01.1")).isZero();
            assertThat(repository.read(FakeRepository.WAIT_GROUP)).isEqualTo(FakeRepository.STARTER);
            assertThat(repository.printed()).contains("as origin/main");
        }

        @Test
        @DisplayName("changes nothing when there is no commit to take the starter from")
        void changesNothingWithoutACommit() throws Exception {
            Path bare = Files.createDirectories(root.resolve("elsewhere"));
            FakeRepository noGit = new FakeRepository(bare);
            noGit.write(FakeRepository.WAIT_GROUP, EDITED);
            noGit.git("init", "-q");

            assertThat(noGit.run("reset", "01.1")).isEqualTo(1);
            assertThat(noGit.read(FakeRepository.WAIT_GROUP)).isEqualTo(EDITED);
            assertThat(noGit.printed()).contains("git finds no commit here").contains("Nothing changed.");
        }
    }

    @Test
    @DisplayName("saves nothing when the file is the starter already")
    void savesNothingWhenIdentical() throws Exception {
        assertThat(repository.run("reset", "01.1")).isZero();
        assertThat(saves()).isEmpty();
        assertThat(repository.printed()).contains("already the starter of 01.1: nothing to save, nothing changed.");
    }

    @Test
    @DisplayName("puts a deleted file back, with nothing to save")
    void restoresADeletedFile() throws Exception {
        Files.delete(root.resolve(FakeRepository.WAIT_GROUP));
        assertThat(repository.run("reset", "01.1")).isZero();
        assertThat(repository.read(FakeRepository.WAIT_GROUP)).isEqualTo(FakeRepository.STARTER);
        assertThat(saves()).isEmpty();
    }

    @Nested
    @DisplayName("when the file holds several exercises")
    class SharedFile {

        static final String STEPS_EDITED = FakeRepository.STEPS_STARTER.replace("class Steps {", "class Steps { int x;");

        @BeforeEach
        void edit() throws IOException {
            repository.write(FakeRepository.STEPS, STEPS_EDITED);
        }

        @Test
        @DisplayName("asks first, and changes nothing on no")
        void asksFirst() throws Exception {
            assertThat(repository.answering("n\n", "reset", "01.3")).isZero();
            assertThat(repository.printed()).contains("holds 2 exercises (01.2, 01.3)").contains("Nothing changed.");
            assertThat(repository.read(FakeRepository.STEPS)).isEqualTo(STEPS_EDITED);
        }

        @Test
        @DisplayName("resets on --yes, after saving the learner's file")
        void resetsOnYes() throws Exception {
            assertThat(repository.answering("", "reset", "01.3", "--yes")).isZero();
            assertThat(repository.read(FakeRepository.STEPS)).isEqualTo(FakeRepository.STEPS_STARTER);
            assertThat(repository.printed()).contains("Saved yours as module-01-fake/src/main/java/fake/Steps.java.saved-");
        }
    }

    @Test
    @DisplayName("without an id prints its usage and exits with 2")
    void withoutAnId() throws Exception {
        assertThat(repository.run("reset")).isEqualTo(2);
        assertThat(repository.printed()).startsWith("Usage: ./workshop reset MM.N");
    }
}
