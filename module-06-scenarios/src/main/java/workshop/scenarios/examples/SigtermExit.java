package workshop.scenarios.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the parent of a JVM sees when it sends SIGTERM: {@link #main} starts this class in a child JVM once per way of
 * ending a shutdown hook, waits until the child has installed its hook, sends SIGTERM ({@link Process#destroy()} on
 * Linux), and prints the child's exit status and how long it took to exit. A child still alive 3 s after SIGTERM is
 * killed with SIGKILL, as the kubelet does at the end of the grace period.
 */
public final class SigtermExit {

    private SigtermExit() {
    }

    // tag::hooks[]
    static void installHook(String mode) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            // here: readiness off, the preStop wait, stop accepting, drain (the JVM's shutdown has begun)
            switch (mode) {
                case "hook-returns" -> { }                       // the JVM then halts with the signal's status
                case "hook-halts-0" -> Runtime.getRuntime().halt(0); // ends the JVM now, with status 0
                case "hook-exits-0" -> System.exit(0);           // blocks for ever: the shutdown is already running
                default -> throw new IllegalArgumentException(mode);
            }
        }));
    }
    // end::hooks[]

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 1) { // the child
            installHook(args[0]);
            System.out.println("hooked");
            Thread.sleep(60_000);
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String mode : List.of("hook-returns", "hook-halts-0", "hook-exits-0")) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    SigtermExit.class.getName(), mode).redirectErrorStream(true).start();
            child.getInputStream().read(new byte[6]); // "hooked": the hook is installed
            long start = System.nanoTime();
            child.destroy(); // SIGTERM
            boolean exited = child.waitFor(3, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly().waitFor(); // SIGKILL
            }
            System.out.printf("%-13s exit status %3d after %4d ms%s%n", mode, child.exitValue(),
                    (System.nanoTime() - start) / 1_000_000, exited ? "" : " (still running 3 s after SIGTERM: SIGKILL)");
        }
    }
}
