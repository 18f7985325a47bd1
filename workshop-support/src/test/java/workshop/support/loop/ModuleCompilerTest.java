package workshop.support.loop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.TimeLimit;
import workshop.support.fixtures.FakeModule;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The watcher's compiler")
@TimeLimit(seconds = 60) // javac in-process, on a loaded machine
class ModuleCompilerTest {

    @TempDir
    Path repository;

    FakeModule module;
    Path counter;
    Path user;
    ModuleCompiler compiler;

    @BeforeEach
    void aModuleThatMavenCompiled() throws IOException {
        module = new FakeModule(repository, "module-99-fake");
        counter = module.write("src/main/java", "p/Counter.java", """
                package p;
                public class Counter {
                    int count;
                    public int next() { return ++count; }
                }
                """);
        user = module.write("src/main/java", "p/User.java", """
                package p;
                public class User {
                    public static String use() { return "used " + new Counter().next(); }
                }
                """);
        module.compile("target/classes", List.of(counter, user));
        Files.createDirectories(module.directory().resolve("target/test-classes"));
        compiler = new ModuleCompiler(repository, module.directory(),
                FakeModule.classPath().stream().map(Path::of).toList());
    }

    private Path classFile(String name) {
        return module.directory().resolve("target/classes/p/" + name + ".class");
    }

    private String callUser() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[]{module.directory().resolve("target/classes").toUri()
                .toURL()}, null)) {
            return (String) loader.loadClass("p.User").getMethod("use").invoke(null);
        }
    }

    @Nested
    @DisplayName("when a saved file does not compile")
    class CompileError {

        @Test
        void printsTheErrorAsJavacDoesWithThePathFromTheRepositoryRoot() throws IOException {
            Files.writeString(counter, Files.readString(counter).replace("return ++count;", "return ++count"));

            ModuleCompiler.Result result = compiler.compile(List.of(counter));

            assertThat(result.ok()).isFalse();
            assertThat(result.errors())
                    .as("file:line relative to the repository root, so that a terminal or an IDE links it")
                    .startsWith("module-99-fake/src/main/java/p/Counter.java:4: error: ';' expected\n")
                    .contains("    public int next() { return ++count }\n")
                    .endsWith("1 error\n");
        }

        @Test
        void keepsTheLastGoodClasses() throws Exception {
            byte[] good = Files.readAllBytes(classFile("Counter"));
            Files.writeString(counter, Files.readString(counter).replace("return ++count;", "return ++nope;"));

            compiler.compile(List.of(counter));

            assertThat(Files.readAllBytes(classFile("Counter"))).as("the class compiled before the error").isEqualTo(good);
            assertThat(callUser()).isEqualTo("used 1");
        }
    }

    @Nested
    @DisplayName("when a saved file compiles")
    class Compiles {

        @Test
        void compilesOnlyThatFileWhenItsSignaturesStay() throws Exception {
            FileTime userBefore = Files.getLastModifiedTime(classFile("User"));
            Files.writeString(counter, Files.readString(counter).replace("return ++count;", "count += 10; return count;"));

            ModuleCompiler.Result result = compiler.compile(List.of(counter));

            assertThat(result.ok()).isTrue();
            assertThat(result.wholeModule()).isFalse();
            assertThat(result.files()).isEqualTo(1);
            assertThat(Files.getLastModifiedTime(classFile("User"))).isEqualTo(userBefore);
            assertThat(callUser()).as("the new body runs").isEqualTo("used 10");
        }

        @Test
        void recompilesTheWholeModuleWhenASignatureChanges() throws Exception {
            Files.writeString(counter, Files.readString(counter).replace("int count;", "long count;")
                    .replace("public int next()", "public long next()"));

            ModuleCompiler.Result result = compiler.compile(List.of(counter));

            assertThat(result.wholeModule()).as("User was compiled against next()I").isTrue();
            assertThat(callUser()).as("User calls the new next()J instead of failing with NoSuchMethodError")
                    .isEqualTo("used 1");
        }

        @Test
        void removesTheClassesOfADeletedFile() throws IOException {
            Path extra = module.write("src/main/java", "p/Extra.java", "package p; class Extra { Runnable r = () -> { }; }");
            compiler.compile(List.of(extra));
            assertThat(classFile("Extra")).exists();
            Files.delete(extra);

            compiler.compile(List.of(extra));

            assertThat(classFile("Extra")).doesNotExist();
        }

        @Test
        void copiesAResourceFromTheSourcesAsTheBuildDoes() throws IOException {
            Path manifest = module.write("src/main/java", "p/k8s/app.yaml", "kind: Deployment\n");

            compiler.compile(List.of(manifest));

            assertThat(module.directory().resolve("target/classes/p/k8s/app.yaml")).hasContent("kind: Deployment");
        }
    }

    @Test
    @DisplayName("finds the sources that Maven could not compile (newer than their class, or without one)")
    void findsStaleSources() throws IOException {
        Files.setLastModifiedTime(counter, FileTime.fromMillis(Files.getLastModifiedTime(classFile("Counter"))
                .toMillis() + 60_000));
        Path fresh = module.write("src/main/java", "p/Fresh.java", "package p; class Fresh { }");

        assertThat(compiler.staleSources()).containsExactlyInAnyOrder(counter, fresh);
    }
}
