package workshop.support.loop;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.TimeLimit;
import workshop.support.fixtures.FakeModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The API fingerprint, which decides when the watcher recompiles a whole module")
@TimeLimit(seconds = 60) // javac in-process, on a loaded machine
class ApiFingerprintTest {

    @TempDir
    Path repository;

    private String fingerprint(String source) throws IOException {
        FakeModule module = new FakeModule(repository, "module-" + Math.abs(source.hashCode()));
        Path file = module.write("src/main/java", "p/Counter.java", source);
        Path classes = module.compile("target/classes", List.of(file));
        try (Stream<Path> files = Files.walk(classes)) {
            return ApiFingerprint.of(files.filter(f -> f.toString().endsWith(".class")).toList());
        }
    }

    private static final String BASE = """
            package p;
            public class Counter {
                public static final int LIMIT = 3;
                int count;
                public int next() { return ++count; }
                private void helper() { }
            }
            """;

    @Test
    void staysTheSameWhenOnlyABodyChanges() throws IOException {
        assertThat(fingerprint(BASE.replace("return ++count;", "count += 2; return count;")))
                .as("a method body is no one else's business").isEqualTo(fingerprint(BASE));
    }

    @Test
    void staysTheSameForPrivateMembersAndAnonymousClasses() throws IOException {
        String more = BASE.replace("private void helper() { }",
                "private void helper() { Runnable r = new Runnable() { public void run() { } }; r.run(); }"
                        + " private int other;");
        assertThat(fingerprint(more)).isEqualTo(fingerprint(BASE));
    }

    @Test
    void changesWhenAPublicSignatureChanges() throws IOException {
        assertThat(fingerprint(BASE.replace("public int next()", "public long next()")))
                .as("callers compiled against next()I would fail with NoSuchMethodError")
                .isNotEqualTo(fingerprint(BASE));
    }

    @Test
    void changesWhenAConstantChanges() throws IOException {
        assertThat(fingerprint(BASE.replace("LIMIT = 3", "LIMIT = 4")))
                .as("javac copies a constant into the classes that use it").isNotEqualTo(fingerprint(BASE));
    }

    @Test
    void changesWhenAPackagePrivateMemberIsAdded() throws IOException {
        assertThat(fingerprint(BASE.replace("int count;", "int count; void reset() { count = 0; }")))
                .isNotEqualTo(fingerprint(BASE));
    }
}
