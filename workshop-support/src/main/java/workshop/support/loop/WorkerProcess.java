package workshop.support.loop;

import workshop.support.progress.ExerciseTests;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The watcher's handle on one worker JVM ({@link WatchWorker}) for one module: starts it, sends it checks, reads
 * what it reports, and ends it. Not thread-safe: one watcher thread uses it.
 */
final class WorkerProcess implements AutoCloseable {

    /** How a check ended. */
    sealed interface Outcome {
        /** The tests ran; {@code leftover} says which of their threads are still alive (empty: none). */
        record Done(int failed, String leftover) implements Outcome {
        }

        /** The JVM ended during the check: {@code System.exit} ({@code where} it was called), halt, or a crash. */
        record Ended(String where, int exitCode) implements Outcome {
        }

        /** No verdict within the time limit: the JVM is stuck past every test's own time limit. */
        record Stuck(Duration limit) implements Outcome {
        }
    }

    private static final String END = "\u0000end";

    private final Process process;
    private final Writer requests;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private boolean ready;

    private WorkerProcess(Process process) {
        this.process = process;
        this.requests = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofVirtual().name("workshop-worker-output").start(this::readOutput);
    }

    /**
     * Starts a worker JVM for a module, on the module's test class path without its own classes; returns at once
     * (the JVM warms up while the watcher goes on).
     */
    static WorkerProcess start(Path module, Path java, List<Path> classPath, List<String> jvmOptions)
            throws IOException {
        Path own = module.resolve("target").toAbsolutePath().normalize();
        List<String> entries = classPath.stream().map(p -> p.toAbsolutePath().normalize())
                .filter(p -> !p.equals(own.resolve("classes")) && !p.equals(own.resolve("test-classes")))
                .map(Path::toString).toList();
        // an argument file keeps a long class path under Windows' command-line limit
        Path argFile = Files.createDirectories(LaunchInfo.folder(module)).resolve("worker.args");
        Files.writeString(argFile, "-cp\n\"" + String.join(File.pathSeparator, entries).replace('\\', '/')
                + "\"\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-preview",
                "-Dworkshop.build=maven", "-Dworkshop.timeScale=" + System.getProperty("workshop.timeScale", "1")));
        command.addAll(jvmOptions);
        command.addAll(List.of("@" + argFile, WatchWorker.class.getName(), module.toString()));
        Process process = new ProcessBuilder(command).directory(module.toFile()).redirectErrorStream(true).start();
        return new WorkerProcess(process);
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int protocol = line.indexOf(ExerciseTests.PROTOCOL);
                if (protocol > 0) { // the tests printed without a line break before it
                    lines.add(line.substring(0, protocol));
                    line = line.substring(protocol);
                }
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
        lines.add(END);
    }

    /** Waits until the worker is ready for a check; false when it ended or did not get ready in time. */
    boolean awaitReady(Duration limit, Consumer<String> output) throws InterruptedException {
        if (ready) {
            return true;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                return false;
            }
            if (line.equals(ExerciseTests.PROTOCOL + WatchWorker.READY)) {
                ready = true;
                return true;
            }
            output.accept(line);
        }
    }

    /**
     * Runs the tests tagged with {@code tagExpression} and hands every line of the worker's output, protocol lines
     * included, to {@code output} as it comes; blocks until the check ends, the worker ends, or {@code limit} passes.
     */
    Outcome check(String tagExpression, Duration limit, Consumer<String> output)
            throws IOException, InterruptedException {
        try {
            requests.write("check\t" + tagExpression + "\n");
            requests.flush();
        } catch (IOException ended) { // it ended while idle
            process.waitFor(5, TimeUnit.SECONDS);
            return new Outcome.Ended("", process.isAlive() ? -1 : process.exitValue());
        }
        long deadline = System.nanoTime() + limit.toNanos();
        int failed = -1;
        String exitedAt = null;
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return new Outcome.Stuck(limit);
            }
            if (line.equals(END)) {
                process.waitFor(5, TimeUnit.SECONDS);
                return new Outcome.Ended(exitedAt == null ? "" : exitedAt, process.isAlive() ? -1 : process.exitValue());
            }
            if (line.startsWith(ExerciseTests.PROTOCOL)) {
                String[] f = line.substring(ExerciseTests.PROTOCOL.length()).split("\t", -1);
                switch (f[0]) {
                    case "done" -> failed = Integer.parseInt(f[1]);
                    case WatchWorker.CLEAN -> {
                        return new Outcome.Done(failed, "");
                    }
                    case WatchWorker.DIRTY -> {
                        return new Outcome.Done(failed, f[1] + " thread(s): " + (f.length > 2 ? f[2] : ""));
                    }
                    case WatchWorker.EXIT -> exitedAt = f.length > 1 ? f[1] : "";
                    default -> output.accept(line);
                }
                continue;
            }
            if (!line.isEmpty()) {
                output.accept(line);
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the worker JVM and whatever it started, at once: its stuck threads cannot be stopped any other way. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
