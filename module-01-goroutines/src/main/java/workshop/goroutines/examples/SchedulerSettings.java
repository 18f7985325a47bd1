package workshop.goroutines.examples;

/**
 * Java's GOMAXPROCS: the virtual-thread scheduler's parallelism, and the processor count it defaults to.
 *
 * <p>Try {@code java -XX:ActiveProcessorCount=1 ...} or {@code -Djdk.virtualThreadScheduler.parallelism=1}.
 */
public final class SchedulerSettings {

    private SchedulerSettings() {
    }

    public static void main(String[] args) {
        // tag::parallelism[]
        // honours a cgroup CPU quota or cpuset, and -XX:ActiveProcessorCount=N when given
        int processors = Runtime.getRuntime().availableProcessors();
        // read once, when the scheduler is created; unset means "processors"
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        System.out.println("processors=" + processors
                + " carriers=" + (parallelism == null ? processors : parallelism));
        // end::parallelism[]
    }
}
