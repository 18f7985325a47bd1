package workshop.support.loop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The room's prefetch")
class PrefetchTest {

    static final String ZIP_PATH = "org/apache/maven/apache-maven/3.9.16/apache-maven-3.9.16-bin.zip";
    static final byte[] ZIP = "pretend this is Maven".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    @TempDir
    Path folder;

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final List<List<String>> builds = new ArrayList<>();
    final List<Map<String, String>> envs = new ArrayList<>();

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    void wrapperExpects(byte[] content) throws IOException {
        Path sum = Files.writeString(root.resolve("sum"), "");
        Files.write(sum, content);
        Files.createDirectories(root.resolve(".mvn/wrapper"));
        Files.writeString(root.resolve(".mvn/wrapper/maven-wrapper.properties"), """
                distributionUrl=https://repo.maven.apache.org/maven2/%s
                distributionSha256Sum=%s
                """.formatted(ZIP_PATH, Prefetch.sha256(sum)));
    }

    Prefetch.Maven recording(int failAtBuild) {
        return (args, env, o) -> {
            builds.add(args);
            envs.add(env);
            return builds.size() == failAtBuild ? 1 : 0;
        };
    }

    @BeforeEach
    void wrapper() throws IOException {
        wrapperExpects(ZIP);
    }

    @Nested
    @DisplayName("when every build passes")
    class Passing {

        @Test
        @DisplayName("runs each build with the folder as MAVEN_USER_HOME and its repository as the local repository")
        void runsEveryBuildIntoTheFolder() throws Exception {
            int status = Prefetch.run(root, folder, out, recording(0), (uri, file) -> Files.write(file, ZIP));

            assertThat(status).as(printed()).isZero();
            assertThat(builds).hasSize(Prefetch.STEPS.size());
            assertThat(builds).allSatisfy(args ->
                    assertThat(args).contains("-Dmaven.repo.local=" + folder.resolve("repository")));
            assertThat(envs).allSatisfy(env -> assertThat(env).containsEntry("MAVEN_USER_HOME", folder.toString()));
        }

        @Test
        @DisplayName("covers every path of the day: tests, solutions, both checks, the loop, the labs, the service, jcstress, clean")
        void coversEveryPath() {
            String all = Prefetch.STEPS.stream().map(step -> String.join(" ", step.args())).toList().toString();

            assertThat(all).contains("test", "-Psolutions", "starter-check", "wrong-answers", "-Ploop", "lab",
                    "serve", "jcstress", "clean", "-Dgroups=01.1");
        }

        @Test
        @DisplayName("puts Maven's zip where a served repository's MVNW_REPOURL points, and says how to use the folder")
        void placesTheZip() throws Exception {
            Prefetch.run(root, folder, out, recording(0), (uri, file) -> Files.write(file, ZIP));

            assertThat(folder.resolve("repository").resolve(ZIP_PATH)).hasBinaryContent(ZIP);
            assertThat(printed()).contains("workshop prefetch: done.").contains("(a) copy").contains("(b) serve")
                    .contains("jwebserver").contains("MVNW_REPOURL").contains("<mirrorOf>*</mirrorOf>");
        }
    }

    @Nested
    @DisplayName("when something goes wrong")
    class Failing {

        @Test
        @DisplayName("stops at the first failed build, names it and says the next run keeps what is there")
        void stopsAtAFailedBuild() throws Exception {
            int status = Prefetch.run(root, folder, out, recording(2), (uri, file) -> Files.write(file, ZIP));

            assertThat(status).isEqualTo(1);
            assertThat(builds).as("no build after the failed one").hasSize(2);
            assertThat(printed()).contains("build 2 failed (exit 1): ./mvnw test -DskipTests")
                    .contains("run the same command again").doesNotContain("done.");
        }

        @Test
        @DisplayName("rejects a Maven zip whose checksum is not the wrapper's, and leaves nothing behind")
        void rejectsABadZip() {
            assertThatThrownBy(() -> Prefetch.run(root, folder, out, recording(0),
                    (uri, file) -> Files.writeString(file, "a proxy's error page")))
                    .hasMessageContaining("SHA-256").hasMessageContaining("the wrapper expects");
            assertThat(folder.resolve("repository").resolve(ZIP_PATH)).doesNotExist();
            assertThat(folder.resolve("repository").resolve(ZIP_PATH + ".part")).doesNotExist();
        }
    }

    @Test
    @DisplayName("prints its usage and exits 2 without a folder")
    void usage() throws Exception {
        int status = Prefetch.run(new Workshop.Invocation(root, List.of(), out, null));

        assertThat(status).isEqualTo(2);
        assertThat(printed()).contains("Usage: ./workshop prefetch <folder>");
    }
}
