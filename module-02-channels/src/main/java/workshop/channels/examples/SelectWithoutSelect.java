package workshop.channels.examples;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Three ways to wait on two queues at once with the JDK alone, and what each costs. Go's {@code select} does this in
 * the runtime; this module builds one in exercise 02.5.
 */
public final class SelectWithoutSelect {

    private SelectWithoutSelect() {
    }

    // tag::polling[]
    static String nextByPolling(BlockingQueue<String> orders, BlockingQueue<String> cancels)
            throws InterruptedException {
        while (true) {
            String order = orders.poll(5, MILLISECONDS); // a cancel that arrives now waits up to 5 ms more
            if (order != null) {
                return "order " + order;
            }
            String cancel = cancels.poll(5, MILLISECONDS); // and orders are favoured: they are asked first
            if (cancel != null) {
                return "cancel " + cancel;
            }
        } // idle, this loop still wakes 200 times a second
    }
    // end::polling[]

    // tag::tagged-events[]
    sealed interface Event permits Order, Cancel {
    }

    record Order(String id) implements Event {
    }

    record Cancel(String id) implements Event {
    }

    static String nextEvent(BlockingQueue<Event> inbox) throws InterruptedException {
        return switch (inbox.take()) { // one queue, so one take() waits for either kind
            case Order order -> "order " + order.id();
            case Cancel cancel -> "cancel " + cancel.id();
        };
    }
    // end::tagged-events[]

    // tag::any-of[]
    static Object firstOfTwo(BlockingQueue<String> orders, BlockingQueue<String> cancels) {
        try (ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<String> order = CompletableFuture.supplyAsync(() -> take(orders), waiters);
            CompletableFuture<String> cancel = CompletableFuture.supplyAsync(() -> take(cancels), waiters);
            Object first = CompletableFuture.anyOf(order, cancel).join(); // a thread per case, only to wait
            // The loser still waits in take(): cancel(true) would not stop it, as CompletableFuture ignores the
            // flag. shutdownNow() interrupts it, but it may already have taken a value, which is then lost.
            waiters.shutdownNow(); // without this, close() would wait for the loser forever
            return first;
        }
    }
    // end::any-of[]

    private static String take(BlockingQueue<String> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<String> orders = new LinkedBlockingQueue<>();
        BlockingQueue<String> cancels = new LinkedBlockingQueue<>();
        cancels.put("7");
        System.out.println(nextByPolling(orders, cancels));

        BlockingQueue<Event> inbox = new LinkedBlockingQueue<>();
        inbox.put(new Cancel("8"));
        System.out.println(nextEvent(inbox));

        orders.put("9");
        System.out.println(firstOfTwo(orders, cancels));
    }
}
