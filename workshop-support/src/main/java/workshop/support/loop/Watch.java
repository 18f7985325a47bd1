package workshop.support.loop;

import java.io.PrintStream;
import java.nio.file.Path;

/** TODO: the {@code watch} command. */
final class Watch {

    private Watch() {
    }

    static int run(Workshop.Invocation invocation) throws Exception {
        invocation.out().println("not built yet");
        return 1;
    }

    /**
     * One check of one exercise, exactly as the watcher makes it (compile what changed, run the exercise's tests in a
     * worker JVM, print the verdict and the progress line), then stops its worker. For the pre-flight check.
     *
     * @return 0 when a verdict came (red or green), 1 when none could (no JDK, no launch files, a broken worker)
     */
    static int once(Path root, String exerciseId, PrintStream out) throws Exception {
        out.println("not built yet");
        return 1;
    }
}
