package workshop.support.loop;

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

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The pre-flight check")
class PreflightTest {

    static final Preflight.Jvm JDK_25 = new Preflight.Jvm(25, true, "/jdk-25");
    static final long PLENTY = 50L << 30;
    static final String GOOD_SETTINGS = """
            {
              "java.configuration.updateBuildConfiguration": "automatic",
              "java.test.config": {
                "vmArgs": ["--enable-preview", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"]
              }
            }
            """;

    @TempDir
    Path root;

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    void settings(String json) throws IOException {
        Files.createDirectories(root.resolve(".vscode"));
        Files.writeString(root.resolve(".vscode/settings.json"), json);
    }

    @Nested
    @DisplayName("on a machine that is ready")
    class Ready {

        @Test
        @DisplayName("says ready, runs the watch check of 01.1 after building, and reports how long it took")
        void saysReady() throws Exception {
            settings(GOOD_SETTINGS);
            List<String> calls = new ArrayList<>();

            int status = Preflight.run(root, out, JDK_25, PLENTY,
                    (r, o) -> {
                        calls.add("build");
                        return 0;
                    },
                    (r, id, o) -> {
                        calls.add("once " + id);
                        return 0;
                    });

            assertThat(status).as(printed()).isZero();
            assertThat(calls).containsExactly("build", "once 01.1");
            assertThat(printed()).contains("the check of 01.1 took").contains("workshop preflight: ready.")
                    .doesNotContain("FIX");
        }

        @Test
        @DisplayName("accepts the repository's own .vscode/settings.json")
        void acceptsTheRepositorysSettings() throws IOException {
            Path repoSettings = Path.of("").toAbsolutePath().getParent().resolve(".vscode/settings.json");

            assertThat(Preflight.vsCode(repoSettings)).as("the checked-in settings, read from %s", repoSettings)
                    .isEmpty();
        }
    }

    @Nested
    @DisplayName("finds what to fix")
    class KnownBad {

        @Test
        @DisplayName("a JDK other than 25, and preview features off, each with its fix")
        void wrongJdk() {
            List<String> problems = Preflight.jdk(new Preflight.Jvm(21, false, "/jdk-21"));

            assertThat(problems).hasSize(2);
            assertThat(problems.get(0)).contains("Java 21").contains("/jdk-21").contains("JAVA25_HOME");
            assertThat(problems.get(1)).contains("preview features are off").contains("--enable-preview");
        }

        @Test
        @DisplayName("a VS Code settings file without the preview flags")
        void settingsWithoutTheFlags() throws IOException {
            settings("""
                    { "java.test.config": { "vmArgs": ["-Xmx1g"] } }
                    """);

            assertThat(Preflight.vsCode(root.resolve(".vscode/settings.json"))).singleElement().asString()
                    .contains("--enable-preview").contains("[-Xmx1g]").contains("git checkout -- .vscode/settings.json");
        }

        @Test
        @DisplayName("a VS Code settings file that has only --enable-preview, not the export the leak detector uses")
        void settingsWithoutTheExport() throws IOException {
            settings("""
                    { "java.test.config": { "vmArgs": ["--enable-preview"] } }
                    """);

            assertThat(Preflight.vsCode(root.resolve(".vscode/settings.json"))).hasSize(1);
        }

        @Test
        @DisplayName("a missing VS Code settings file")
        void missingSettings() throws IOException {
            assertThat(Preflight.vsCode(root.resolve(".vscode/settings.json"))).singleElement().asString()
                    .contains("is missing");
        }

        @Test
        @DisplayName("an IntelliJ project on language level 25 without preview, on SDK 21")
        void intelliJWithoutPreview() throws IOException {
            Files.createDirectories(root.resolve(".idea"));
            Path misc = Files.writeString(root.resolve(".idea/misc.xml"), """
                    <project version="4">
                      <component name="ProjectRootManager" version="2" languageLevel="JDK_25" project-jdk-name="21" project-jdk-type="JavaSDK" />
                    </project>
                    """);

            List<String> problems = Preflight.intelliJ(misc);

            assertThat(problems).hasSize(2);
            assertThat(problems.get(0)).contains("JDK_25").contains("'25 (Preview)'");
            assertThat(problems.get(1)).contains("'21'");
        }

        @Test
        @DisplayName("but not an IntelliJ project on SDK 25 with language level 25 (Preview)")
        void intelliJReady() throws IOException {
            Files.createDirectories(root.resolve(".idea"));
            Path misc = Files.writeString(root.resolve(".idea/misc.xml"), """
                    <project version="4">
                      <component name="ProjectRootManager" version="2" languageLevel="JDK_25_PREVIEW" project-jdk-name="temurin-25" project-jdk-type="JavaSDK" />
                    </project>
                    """);

            assertThat(Preflight.intelliJ(misc)).isEmpty();
        }

        @Test
        @DisplayName("too little disk space")
        void smallDisk() {
            assertThat(Preflight.disk(100L << 20)).singleElement().asString().contains("100 MB free");
            assertThat(Preflight.disk(Preflight.MIN_FREE_BYTES)).isEmpty();
        }

        @Test
        @DisplayName("a failed build, which skips the watch check and says what to do")
        void failedBuild() throws Exception {
            settings(GOOD_SETTINGS);
            List<String> calls = new ArrayList<>();

            int status = Preflight.run(root, out, JDK_25, PLENTY, (r, o) -> 1, (r, id, o) -> {
                calls.add(id);
                return 0;
            });

            assertThat(status).isEqualTo(1);
            assertThat(calls).as("no watch check after a failed build").isEmpty();
            assertThat(printed()).contains("1 thing to fix").contains("the Maven build of module 01 failed (exit 1)");
        }

        @Test
        @DisplayName("a watch check that gives no verdict, with every other problem: one line each, and exit 1")
        void everythingWrong() throws Exception {
            int status = Preflight.run(root, out, new Preflight.Jvm(17, false, "/jdk-17"), 10L << 20,
                    (r, o) -> 0, (r, id, o) -> 1);

            assertThat(status).isEqualTo(1);
            assertThat(printed()).contains("5 things to fix")
                    .contains("  - JDK: ./workshop runs on Java 17")
                    .contains("  - JDK: preview features are off")
                    .contains("  - VS Code:")
                    .contains("  - disk:")
                    .contains("  - watch loop: one check of 01.1 gave no verdict (exit 1")
                    .doesNotContain("ready.");
        }
    }
}
