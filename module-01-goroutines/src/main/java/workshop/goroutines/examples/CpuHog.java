package workshop.goroutines.examples;

import java.time.Duration;

/**
 * Virtual threads are not time-sliced: as many busy loops as there are carriers stop every other virtual thread.
 * Run it and watch how long the heartbeat has to wait.
 */
public final class CpuHog {

    private static final Duration SPIN = Duration.ofSeconds(2);

    private CpuHog() {
    }

    public static void main(String[] args) throws InterruptedException {
        long start = System.nanoTime();
        // tag::starvation[]
        int carriers = Runtime.getRuntime().availableProcessors(); // the scheduler's default parallelism
        for (int i = 0; i < carriers; i++) {
            Thread.ofVirtual().start(CpuHog::spin); // never blocks, so never leaves its carrier
        }
        Thread heartbeat = Thread.ofVirtual().start(() -> System.out.println("heartbeat"));
        // every carrier is busy: the heartbeat stays queued until a spin() returns
        // end::starvation[]
        heartbeat.join();
        System.out.printf("the heartbeat waited %d ms behind %d busy virtual threads%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis(), carriers);
    }

    private static void spin() {
        long end = System.nanoTime() + SPIN.toNanos();
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        if (x == 42) {
            System.out.println("unlikely");
        }
    }
}
