package workshop.support.loop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.progress.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("workshop status")
class StatusTest {

    @TempDir
    Path root;

    FakeRepository repository;

    @BeforeEach
    void aRepositoryWithProgress() throws IOException {
        repository = new FakeRepository(root);
        repository.write("module-02-more/src/main/java/more/Only.java", "/**\n * Exercise 02.1: Only\n */\nclass Only {}\n");
        // 01.1 solved, 01.2 failing, 01.3 never run
        new Progress(Map.of(Progress.key("01.1", "t"), true, Progress.key("01.2", "t"), false))
                .write(root.resolve("module-01-fake/target"));
    }

    @Test
    @DisplayName("prints the progress box from the progress files, without running a test")
    void printsTheBox() throws Exception {
        assertThat(repository.run("status")).isZero();
        assertThat(repository.printed())
                .contains("Workshop progress: 1 of 4 exercises solved")
                .contains("module-01-fake")
                .contains("Next: 01.2 Send");
    }

    @Test
    @DisplayName("with --line prints one stable line: totals, each module's count, the next exercise")
    void printsOneLine() throws Exception {
        assertThat(repository.run("status", "--line")).isZero();
        assertThat(repository.printed()).isEqualTo("workshop-status 1/4 01:1/3 02:0/1 next=01.2\n");
    }

    @Test
    @DisplayName("with --line says next=none when every exercise is solved")
    void nextIsNoneWhenAllAreSolved() throws Exception {
        new Progress(Map.of(Progress.key("01.1", "t"), true, Progress.key("01.2", "t"), true,
                Progress.key("01.3", "t"), true)).write(root.resolve("module-01-fake/target"));
        new Progress(Map.of(Progress.key("02.1", "t"), true)).write(root.resolve("module-02-more/target"));

        assertThat(Status.line(root)).isEqualTo("workshop-status 4/4 01:3/3 02:1/1 next=none");
    }

    @Test
    @DisplayName("with an option it does not know prints its usage and exits with 2")
    void unknownOption() throws Exception {
        assertThat(repository.run("status", "--lines")).isEqualTo(2);
        assertThat(repository.printed()).startsWith("Usage: ./workshop status");
    }
}
