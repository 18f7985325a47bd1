package workshop.support.loop;

import org.junit.platform.launcher.core.LauncherFactory;
import workshop.support.progress.ExerciseTests;
import workshop.support.threads.LeakDetector;
import workshop.support.threads.ThreadDumps;
import workshop.support.threads.ThreadSnapshot;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

/**
 * The watcher's worker JVM: runs an exercise's tests on request, each time in a fresh class loader over the module's
 * compiled classes (so that a recompiled class is the one tested), with the workshop's extensions active as under
 * Maven, and tells the watcher what happened: {@link ExerciseTests}'s protocol ({@code planned}, {@code class},
 * {@code done}), then {@code clean}, or {@code dirty} when threads of the check are still alive (a deadlock past its
 * time limit, a leaked thread): they cannot be stopped, so the watcher replaces this JVM.
 *
 * <p>Requests, one a line on standard input: {@code check<TAB><tag expression>}. The end of standard input ends the
 * JVM at once (the watcher is gone). A {@code System.exit} in the code under test is reported ({@code exit} and where
 * it was called) before the JVM ends.
 *
 * <p>Usage: {@code WatchWorker <module folder>}, on a class path without the module's own classes.
 */
public final class WatchWorker {

    static final String READY = "ready";
    static final String CLEAN = "clean";
    static final String DIRTY = "dirty";
    static final String EXIT = "exit";

    /** How long threads that a check started may take to end after it, before the JVM counts as dirty. */
    static final Duration SETTLE = Duration.ofMillis(1500);

    private WatchWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(args[0]).toAbsolutePath().normalize();
        PrintStream toWatcher = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> toWatcher.println(
                "\n" + ExerciseTests.PROTOCOL + EXIT + "\t" + whoCalledExit()), "workshop-exit-report"));
        BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("workshop-requests").start(() -> readRequests(requests));

        LauncherFactory.create(); // loads the JUnit Platform before the first request
        toWatcher.println(ExerciseTests.PROTOCOL + READY);
        Path classes = module.resolve("target/classes");
        Path testClasses = module.resolve("target/test-classes");
        // what the tests see under Maven: a test that starts a child JVM on "the tests' class path" needs both
        System.setProperty("java.class.path", String.join(File.pathSeparator, testClasses.toString(),
                classes.toString(), System.getProperty("java.class.path")));
        while (true) {
            String request = requests.take();
            String[] fields = request.split("\t", -1);
            if (fields[0].equals("check") && fields.length > 1) {
                check(classes, testClasses, fields[1], toWatcher);
            }
        }
    }

    private static void readRequests(BlockingQueue<String> requests) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                requests.add(line);
            }
        } catch (IOException ignored) {
            // the watcher is gone
        }
        Runtime.getRuntime().halt(0); // no hook: this is no learner's System.exit
    }

    private static void check(Path classes, Path testClasses, String groups, PrintStream toWatcher) throws IOException {
        Set<Long> baseline = LeakDetector.baseline();
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        int failed;
        try (URLClassLoader loader = new URLClassLoader(
                new URL[]{testClasses.toUri().toURL(), classes.toUri().toURL()}, ClassLoader.getSystemClassLoader())) {
            self.setContextClassLoader(loader);
            failed = ExerciseTests.run(testClasses, groups, "", toWatcher);
        } finally {
            self.setContextClassLoader(previous);
        }
        toWatcher.println(ExerciseTests.PROTOCOL + "done\t" + failed);
        ThreadDumps.Sample left = stillAlive(baseline);
        toWatcher.println(ExerciseTests.PROTOCOL + (left.isEmpty() ? CLEAN : DIRTY + "\t" + left.matched() + "\t"
                + left.threads().stream().limit(3).map(ThreadSnapshot::headline)
                .collect(Collectors.joining("; ")).replace('\t', ' ')));
    }

    /** The threads that the check started and that are still alive once {@link #SETTLE} is over. */
    private static ThreadDumps.Sample stillAlive(Set<Long> baseline) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ThreadDumps.Sample alive = LeakDetector.involvedThreads(baseline);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // only the worker's own settling: no test waits on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            alive = LeakDetector.involvedThreads(baseline);
        }
        return alive;
    }

    /** Where {@code System.exit} or {@code Runtime.exit} was called: the first frame outside the JDK. */
    static String whoCalledExit() {
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = thread.getValue();
            boolean exiting = Arrays.stream(frames).anyMatch(f -> f.getClassName().equals("java.lang.Shutdown")
                    && f.getMethodName().equals("exit"));
            if (exiting) {
                return Arrays.stream(frames)
                        .filter(f -> !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk."))
                        .findFirst().map(StackTraceElement::toString).orElse("in the JDK");
            }
        }
        return "";
    }
}
