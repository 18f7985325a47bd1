package workshop.support.loop;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.TimeLimit;
import workshop.support.fixtures.FakeModule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The test index, which maps a saved helper class to the exercises whose tests use it")
@TimeLimit(seconds = 60) // javac in-process, on a loaded machine
class TestIndexTest {

    @TempDir
    Path repository;

    @Test
    void findsTheExercisesWhoseTestsNameAClassIncludingFromNestedTestClasses() throws IOException {
        FakeModule module = new FakeModule(repository, "module-99-fake");
        Path helper = module.write("src/main/java", "p/Helper.java", "package p; public class Helper { public static class Inner { } }");
        Path other = module.write("src/main/java", "p/Other.java", "package p; public class Other { }");
        Path classes = module.compile("target/classes", List.of(helper, other));
        Path first = module.write("src/test/java", "p/FirstTest.java", """
                package p;
                @org.junit.jupiter.api.Tag("99.1")
                class FirstTest {
                    @org.junit.jupiter.api.Nested
                    class WhenUsed {
                        Object inner = new Helper.Inner();
                    }
                }
                """);
        Path second = module.write("src/test/java", "p/SecondTest.java", """
                package p;
                @org.junit.jupiter.api.Tag("99.2")
                @org.junit.jupiter.api.Tag("end-to-end")
                class SecondTest {
                    Object helper = new Helper();
                    Object other = new Other();
                }
                """);
        module.compile("target/test-classes", List.of(first, second), classes.toString());

        TestIndex index = TestIndex.of(module.directory().resolve("target/test-classes"));

        assertThat(index.exercisesUsing("p/Helper")).as("a nested test class counts for its outer class's tag")
                .containsExactly("99.1", "99.2");
        assertThat(index.exercisesUsing("p/Other")).containsExactly("99.2");
        assertThat(index.exercisesUsing("p/FirstTest")).as("a test file's own exercise").containsExactly("99.1");
        assertThat(index.exercisesUsing("p/Nobody")).isEmpty();
    }
}
