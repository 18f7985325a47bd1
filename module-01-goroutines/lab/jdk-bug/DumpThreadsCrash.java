import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal reproduction of a JVM crash on JDK 25.0.3: a JSON thread dump
 * ({@code HotSpotDiagnosticMXBean.dumpThreads}, the same code as {@code jcmd <pid> Thread.dump_to_file}) taken while
 * many virtual threads wake up and end kills the JVM with a SIGSEGV in {@code GetThreadSnapshotClosure::do_thread}.
 *
 * <p>Each round parks n virtual threads; then, 50 ms after this thread has begun to look at them, one platform
 * thread unparks them all, and they end while this thread keeps looking. Run it with a JDK 25 from this folder:
 *
 * <pre>
 *   java DumpThreadsCrash.java                 # dump mode: crashed in 6 of 6 runs (rounds 1 to 20), 2 cores
 *   java DumpThreadsCrash.java 100000 20 stacks # control, getStackTrace() per thread: 20 rounds, 3 of 3 runs
 * </pre>
 *
 * Arguments: threads per round (default 100,000), rounds (default 20), mode ({@code dump} or {@code stacks}).
 * See the module README, section 8.
 */
public class DumpThreadsCrash {

    static volatile boolean open;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean dump = args.length <= 2 || args[2].equals("dump");
        System.out.printf("%s, %d processors; %d rounds of %,d virtual threads; %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), rounds, n,
                dump ? "JSON thread dumps while they end" : "Thread.getStackTrace() of each while they end");
        HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        Path dir = Files.createTempDirectory("dumps");
        for (int round = 1; round <= rounds; round++) {
            Queue<Thread> parked = new ConcurrentLinkedQueue<>();
            List<Thread> all = new ArrayList<>(n); // only this thread touches it
            AtomicInteger blocked = new AtomicInteger();
            open = false;
            for (int i = 0; i < n; i++) {
                all.add(Thread.ofVirtual().start(() -> {
                    parked.add(Thread.currentThread());
                    blocked.incrementAndGet();
                    while (!open) {
                        LockSupport.park();
                    }
                }));
            }
            while (blocked.get() < n) {
                Thread.sleep(1);
            }
            Thread releaser = Thread.ofPlatform().start(() -> {
                LockSupport.parkNanos(50_000_000); // let the first look begin while all are parked
                open = true;
                for (Thread t; (t = parked.poll()) != null; ) {
                    LockSupport.unpark(t);
                }
            });
            int looks = 0;
            while (releaser.isAlive() || looks < 2) {
                if (dump) {
                    Path file = dir.resolve("threads.json");
                    diagnostics.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                    Files.delete(file);
                } else {
                    for (Thread t : all) {
                        t.getStackTrace();
                    }
                }
                looks++;
            }
            for (Thread t : all) {
                t.join();
            }
            System.out.printf("round %d: %d looks while %,d threads ended, no crash%n", round, looks, n);
        }
        System.out.println("no crash in " + rounds + " rounds");
    }
}
