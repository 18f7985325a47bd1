package workshop.goroutines.examples;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Finding a leaked virtual thread: {@link Thread#getAllStackTraces()} lists platform threads only; the JDK's thread
 * dump (the MXBean here, or {@code jcmd <pid> Thread.dump_to_file -format=json <file>}) lists virtual ones too.
 */
public final class ThreadDumpPeek {

    private ThreadDumpPeek() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        Thread stuck = Thread.ofVirtual().name("stuck-consumer").start(() -> {
            try {
                never.await(); // nobody counts down: this thread leaks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (stuck.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }

        // tag::dump-threads[]
        boolean listed = Thread.getAllStackTraces().containsKey(stuck); // false: platform threads only

        Path file = Files.createTempDirectory("threads").resolve("dump.json"); // must be absolute and new
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        boolean dumped = Files.readString(file).contains("\"stuck-consumer\""); // true, with its stack
        // end::dump-threads[]

        System.out.println("getAllStackTraces lists it: " + listed + "; the JSON thread dump lists it: " + dumped);
        stuck.interrupt();
        stuck.join();
        Files.delete(file);
        Files.delete(file.getParent());
    }
}
