package workshop.support.loop;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repository made up by a test: a module {@code module-01-fake} with exercises, its README's hints, reference
 * solutions, and, when asked, a git history; and a way to run a command on it and read what it printed.
 */
final class FakeRepository {

    static final String WAIT_GROUP = "module-01-fake/src/main/java/fake/WaitGroup.java";
    static final String STEPS = "module-01-fake/src/main/java/fake/Steps.java";
    static final String STARTER = """
            package fake;

            /**
             * Exercise 01.1: WaitGroup
             */
            class WaitGroup {
                // TODO 01.1
            }
            """;
    static final String STEPS_STARTER = """
            package fake;

            /**
             * <ul>
             * <li>Exercise 01.2: Send
             * <li>Exercise 01.3: Close
             * </ul>
             */
            class Steps {
            }
            """;

    final Path root;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    FakeRepository(Path root) throws IOException {
        this.root = root;
        write(WAIT_GROUP, STARTER);
        write(STEPS, STEPS_STARTER);
        write("solutions/" + WAIT_GROUP, STARTER.replace("// TODO 01.1", "int counter;"));
        write("solutions/" + STEPS, STEPS_STARTER);
        write("module-01-fake/README.md", """
                # Module 01

                ## Hints

                ### 01.1 WaitGroup

                What the tests check.

                <details><summary>Hint 1</summary>

                A counter, and `List<Thread>` waiters.
                </details>
                <details><summary>Hint 2</summary>

                Guard it with one lock.
                </details>
                <details><summary>Hint 3</summary>

                `ReentrantLock` and a `Condition`.
                </details>

                ### 01.2 Send

                <details><summary>Hint 1</summary>

                Only one for 01.2.
                </details>

                ## Lab

                <details><summary>Not a hint</summary>

                Lab notes.
                </details>
                """);
    }

    Path write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    String read(String relative) throws IOException {
        return Files.readString(root.resolve(relative));
    }

    /** Makes the repository a git repository with one commit of everything in it, as a clone's first commit. */
    FakeRepository committed() throws IOException, InterruptedException {
        git("init", "-q");
        commitAll("upstream");
        return this;
    }

    void commitAll(String message) throws IOException, InterruptedException {
        git("add", "-A");
        git("-c", "user.name=Fake", "-c", "user.email=fake@example.com", "-c", "commit.gpgsign=false",
                "commit", "-q", "-m", message);
    }

    void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as("git " + String.join(" ", args) + " in the fake repository: " + output).isZero();
    }

    /** Runs {@code workshop <args>} on this repository, with {@code input} typed on the terminal. */
    int answering(String input, String... args) throws Exception {
        printed.reset();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new StringReader(input));
        List<String> all = List.of(args);
        return Workshop.run(root, all, out, in);
    }

    int run(String... args) throws Exception {
        return answering("", args);
    }

    /** What the last {@link #run} printed. */
    String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    Workshop.Invocation invocation(String input, String... args) {
        printed.reset();
        return new Workshop.Invocation(root, List.of(args), new PrintStream(printed, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader(input)));
    }
}
