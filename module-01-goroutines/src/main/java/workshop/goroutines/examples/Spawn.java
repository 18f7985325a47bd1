package workshop.goroutines.examples;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Go's {@code go f()} in Java: start a virtual thread, or hand tasks to an executor that gives each its own.
 */
public final class Spawn {

    private Spawn() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        // tag::spawn[]
        Thread worker = Thread.ofVirtual()
                .name("fetcher")
                .start(() -> System.out.println("running on " + Thread.currentThread()));
        worker.join(); // a goroutine has no handle to join: Go waits on a WaitGroup or a channel instead
        // end::spawn[]

        // tag::per-task-executor[]
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> user = executor.submit(() -> lookup("user"));
            Future<String> cart = executor.submit(() -> lookup("cart"));
            System.out.println(user.get() + " " + cart.get());
        } // close() waits until every task has finished: no thread outlives the block
        // end::per-task-executor[]

        Runnable task = () -> lookup("task");
        // tag::two-kinds[]
        Thread platform = Thread.ofPlatform().start(task); // an OS thread: a kernel call and a reserved native stack
        Thread virtual = Thread.ofVirtual().start(task);   // a heap object and a task queued on the scheduler
        // end::two-kinds[]
        platform.join();
        virtual.join();
    }

    private static String lookup(String what) {
        return what + " found";
    }
}
