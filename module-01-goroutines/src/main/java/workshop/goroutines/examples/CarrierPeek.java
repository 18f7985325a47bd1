package workshop.goroutines.examples;

import java.time.Duration;

/**
 * M:N in one print: a virtual thread names the carrier it is mounted on, and may come back on another one after
 * it blocked.
 */
public final class CarrierPeek {

    private CarrierPeek() {
    }

    public static void main(String[] args) throws InterruptedException {
        // tag::carrier[]
        Thread vt = Thread.ofVirtual().start(() -> {
            // prints VirtualThread[#22]/runnable@ForkJoinPool-1-worker-1: the carrier follows the '@'
            System.out.println("before: " + Thread.currentThread());
            pause(Duration.ofMillis(10)); // blocks: unmounts, and the carrier runs other virtual threads
            System.out.println("after:  " + Thread.currentThread()); // mounted again, maybe on another worker
        });
        vt.join();
        // end::carrier[]
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
