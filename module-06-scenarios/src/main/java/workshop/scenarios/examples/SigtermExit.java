package workshop.scenarios.examples;

/**
 * What a JVM's exit status is after SIGTERM, and what a shutdown hook can do about it. {@link #main} registers the
 * hook its argument names, prints {@code ready}, and sleeps; a shell sends SIGTERM and reads the exit status:
 *
 * <pre>{@code
 * java -cp target/classes workshop.scenarios.examples.SigtermExit halt & pid=$!
 * sleep 1; kill -TERM $pid; wait $pid; echo "exit $?"
 * }</pre>
 *
 * <ul>
 *     <li>{@code none}: no hook; {@code hook}: a hook that prints and returns;</li>
 *     <li>{@code exit}: a hook that calls {@code System.exit(0)}: it blocks for ever (the JVM is already exiting), so
 *         the shutdown never finishes and only SIGKILL ends the process;</li>
 *     <li>{@code halt}: a hook that calls {@code Runtime.getRuntime().halt(0)}: the process ends at once with 0.</li>
 * </ul>
 */
public final class SigtermExit {

    private SigtermExit() {
    }

    public static void main(String[] args) throws InterruptedException {
        String mode = args.length == 0 ? "none" : args[0];
        Runnable hook = switch (mode) {
            case "none" -> null;
            case "hook" -> () -> System.out.println("hook ran");
            case "exit" -> () -> {
                System.out.println("hook calls System.exit(0)");
                System.exit(0);
                System.out.println("System.exit returned"); // never printed
            };
            case "halt" -> () -> {
                System.out.println("hook calls Runtime.halt(0)");
                Runtime.getRuntime().halt(0);
            };
            default -> throw new IllegalArgumentException("mode: none, hook, exit or halt, not " + mode);
        };
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(hook, "sigterm-exit-hook"));
        }
        System.out.println("ready");
        Thread.sleep(60_000);
    }
}
