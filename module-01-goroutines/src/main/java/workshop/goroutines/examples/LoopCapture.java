package workshop.goroutines.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * Capturing a loop variable in a lambda: Java only lets a lambda capture effectively final variables, so the bug
 * Go had before 1.22 does not compile here.
 */
public final class LoopCapture {

    private LoopCapture() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        // tag::capture[]
        for (int i = 0; i < 3; i++) {
            int id = i; // a fresh, effectively final copy per iteration
            threads.add(Thread.ofVirtual().start(() -> System.out.println("task " + id)));
        }

        for (String name : List.of("ann", "bob")) { // each iteration declares a new `name`
            threads.add(Thread.ofVirtual().start(() -> System.out.println("hello " + name)));
        }
        // end::capture[]

        for (Thread thread : threads) {
            thread.join();
        }
    }
}
