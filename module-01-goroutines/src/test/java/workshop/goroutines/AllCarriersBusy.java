package workshop.goroutines;

import jdk.management.VirtualThreadSchedulerMXBean;
import workshop.support.testing.Patience;

import java.lang.management.ManagementFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps every carrier thread of the virtual-thread scheduler busy with a virtual thread that spins, so that no other
 * virtual thread can run until {@link #close()}: a virtual thread that is woken meanwhile stays queued. That lets a
 * test change state "at once" from a waiter's point of view, deterministically: the waiter cannot run in between.
 *
 * <p>It starts spinners until as many carriers as the scheduler's parallelism run one, and every live carrier (a
 * platform thread named after the scheduler's pool, spares left from earlier compensation included) too. Fewer would
 * not do: the pool starts a carrier on demand while it has fewer busy ones than its parallelism, and a woken waiter
 * would get it. As long as the spinners spin, the scheduler has no carrier to spare and, as they never block, no
 * reason to add one.
 */
final class AllCarriersBusy implements AutoCloseable {

    private static final Pattern CARRIER = Pattern.compile("@(.+-worker-\\d+)");

    private static final VirtualThreadSchedulerMXBean SCHEDULER =
            ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);

    private final List<Thread> spinners = new ArrayList<>();
    private final Set<String> occupied = ConcurrentHashMap.newKeySet();
    private volatile boolean released;

    private AllCarriersBusy() {
    }

    /** Occupies every carrier; returns once each one runs a spinner. */
    static AllCarriersBusy occupy() {
        AllCarriersBusy busy = new AllCarriersBusy();
        String pool = schedulerPool();
        long giveUp = System.nanoTime() + Patience.seconds(10).toNanos();
        try {
            while (true) {
                Set<String> carriers = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(name -> name.startsWith(pool + "-worker-")).collect(Collectors.toSet());
                int enough = SCHEDULER.getParallelism(); // below it, the pool would start a carrier on demand
                if (busy.occupied.size() >= enough && busy.occupied.containsAll(carriers)) {
                    return busy;
                }
                if (busy.occupied.size() >= busy.spinners.size()) { // every spinner has a carrier: start one more
                    busy.spinners.add(Thread.ofVirtual().name("carrier-hog-" + busy.spinners.size()).start(busy::spin));
                }
                if (System.nanoTime() - giveUp > 0) {
                    throw new IllegalStateException("could not occupy every carrier: parallelism "
                            + SCHEDULER.getParallelism() + ", carriers " + carriers + ", occupied " + busy.occupied);
                }
                Thread.onSpinWait();
            }
        } catch (RuntimeException | Error e) {
            busy.close();
            throw e;
        }
    }

    private void spin() {
        Matcher carrier = CARRIER.matcher(Thread.currentThread().toString());
        if (carrier.find()) {
            occupied.add(carrier.group(1));
        }
        while (!released) {
            Thread.onSpinWait(); // never blocks, so never leaves its carrier
        }
    }

    /** Lets the carriers go, and waits until every spinner has ended. */
    @Override
    public void close() {
        released = true;
        boolean interrupted = false;
        for (Thread spinner : spinners) {
            while (true) {
                try {
                    spinner.join(Duration.ofSeconds(30));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The name of the ForkJoinPool that carries virtual threads, read off a virtual thread's toString. */
    private static String schedulerPool() {
        String[] seen = new String[1];
        Thread probe = Thread.ofVirtual().start(() -> seen[0] = Thread.currentThread().toString());
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Matcher m = Pattern.compile("@(.+)-worker-\\d+").matcher(String.valueOf(seen[0]));
        if (!m.find()) {
            throw new IllegalStateException("cannot tell the scheduler's pool from " + seen[0]);
        }
        return m.group(1);
    }
}
