package workshop.support.loop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.TimeLimit;
import workshop.support.fixtures.FakeModule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watcher's worker JVM, run for real on a made-up module: it must tell a clean check from one that leaves a
 * thread behind, and report a {@code System.exit} in the code under test with where it was called.
 */
@DisplayName("The watcher's worker JVM")
@TimeLimit(seconds = 90)
class WorkerProcessTest {

    @TempDir
    Path repository;

    FakeModule module;
    WorkerProcess worker;
    final List<String> output = new CopyOnWriteArrayList<>();

    @BeforeEach
    void aModuleWithAGoodABadAndAnExitingTest() throws Exception {
        module = new FakeModule(repository, "module-99-fake");
        Path test = module.write("src/test/java", "p/FixtureTest.java", """
                package p;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;
                class FixtureTest {
                    @Test @Tag("99.1") void passes() { }
                    @Test @Tag("99.2") void leavesAThreadBehind() {
                        Thread.ofPlatform().daemon().name("left-behind").start(() -> {
                            while (true) { java.util.concurrent.locks.LockSupport.park(); }
                        });
                    }
                    @Test @Tag("99.3") void endsTheJvm() { Exits.now(); }
                }
                """);
        Path exits = module.write("src/main/java", "p/Exits.java",
                "package p; public class Exits { public static void now() { System.exit(7); } }");
        Path classes = module.compile("target/classes", List.of(exits));
        module.compile("target/test-classes", List.of(test), classes.toString());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        worker = WorkerProcess.start(module.directory(), java, FakeModule.classPath().stream().map(Path::of).toList(),
                List.of());
        assertThat(worker.awaitReady(Duration.ofSeconds(60), output::add)).as("the worker got ready; it said " + output)
                .isTrue();
    }

    @AfterEach
    void stop() {
        if (worker != null) { // null when the module could not even be built
            worker.close();
        }
    }

    @Test
    void reportsACleanCheckWithItsCount() throws Exception {
        WorkerProcess.Outcome outcome = worker.check("99.1", Duration.ofSeconds(60), output::add);

        assertThat(outcome).as("output: " + output).isEqualTo(new WorkerProcess.Outcome.Done(0, ""));
        assertThat(output).as("one class line: 1 of 1 passed").anyMatch(line -> line.contains("\tFixtureTest\t1\t1\t"));
    }

    @Test
    void reportsThreadsThatACheckLeftRunning() throws Exception {
        WorkerProcess.Outcome outcome = worker.check("99.2", Duration.ofSeconds(60), output::add);

        assertThat(outcome).isInstanceOfSatisfying(WorkerProcess.Outcome.Done.class, done -> {
            assertThat(done.failed()).as("the leak detector fails the test, as under Maven").isEqualTo(1);
            assertThat(done.leftover()).as("a thread still alive: the JVM must be replaced").contains("left-behind");
        });
    }

    @Test
    void reportsASystemExitWithWhereItWasCalled() throws Exception {
        WorkerProcess.Outcome outcome = worker.check("99.3", Duration.ofSeconds(60), output::add);

        assertThat(outcome).isEqualTo(new WorkerProcess.Outcome.Ended("p.Exits.now(Exits.java:1)", 7));
        assertThat(worker.isAlive()).isFalse();
    }

    @Test
    void staysUsableAfterACheckForTheNext() throws Exception {
        worker.check("99.1", Duration.ofSeconds(60), output::add);

        assertThat(worker.check("99.1", Duration.ofSeconds(60), output::add))
                .isEqualTo(new WorkerProcess.Outcome.Done(0, ""));
    }
}
