package workshop.gc.examples;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Two leaks that no collector can fix, because what leaks is still reachable: a {@code ThreadLocal} value left on a
 * pooled thread, and a virtual thread parked for ever, whose stack keeps its locals alive. Each one is checked with a
 * weak reference after {@code System.gc()}.
 */
public final class Leaks {

    private Leaks() {
    }

    static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    // tag::thread-local-on-a-pool[]
    static void threadLocalOnAPool() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            WeakReference<byte[]> left = pool.submit(() -> {
                byte[] buffer = new byte[8 << 20];
                SCRATCH.set(buffer);               // and no SCRATCH.remove() in a finally
                return new WeakReference<>(buffer);
            }).get();                              // the task is over, its thread is not
            System.gc();
            System.out.println("8 MB still held by the pool thread: " + (left.get() != null)); // true

            pool.submit(SCRATCH::remove).get();    // what the task should have done in its finally
            System.gc();
            System.out.println("after remove(): " + (left.get() != null));                    // false
        }
    }
    // end::thread-local-on-a-pool[]

    // tag::parked-for-ever[]
    static Thread parkedForEver(LinkedBlockingQueue<String> nobodyWrites, WeakReference<?>[] watch) {
        return Thread.ofVirtual().name("waiting-for-nothing").start(() -> {
            byte[] state = new byte[8 << 20];      // a local of a frame that never returns
            watch[0] = new WeakReference<>(state);
            try {
                nobodyWrites.take();               // a goroutine blocked on a channel nobody sends to
            } catch (InterruptedException e) {
                return;
            }
            System.out.println(state.length);
        });
    }
    // end::parked-for-ever[]

    public static void main(String[] args) throws Exception {
        threadLocalOnAPool();
        WeakReference<?>[] watch = new WeakReference<?>[1];
        Thread leaked = parkedForEver(new LinkedBlockingQueue<>(), watch);
        while (watch[0] == null || leaked.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        System.gc();
        System.out.println("8 MB on the parked virtual thread's stack still held: " + (watch[0].get() != null));
        leaked.interrupt(); // here we can still reach it; a real leak has lost this reference
        leaked.join(TimeUnit.SECONDS.toMillis(5));
        System.gc();
        System.out.println("after the thread ended: " + (watch[0].get() != null));
    }
}
