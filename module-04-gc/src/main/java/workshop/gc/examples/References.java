package workshop.gc.examples;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;

/**
 * The three kinds of reference the collector knows about, and how a program learns that an object is gone: a weak
 * reference is cleared at the next collection that finds the object otherwise unreachable, a soft one only when
 * memory runs short, and a queue hands the cleared references back to the program.
 */
public final class References {

    private References() {
    }

    // tag::weak-and-queue[]
    static void weakAndQueue() throws InterruptedException {
        ReferenceQueue<byte[]> queue = new ReferenceQueue<>();
        byte[] payload = new byte[1 << 20];
        WeakReference<byte[]> weak = new WeakReference<>(payload, queue);
        SoftReference<byte[]> soft = new SoftReference<>(new byte[1 << 20]);

        System.gc();
        System.out.println("still referenced: " + (weak.get() != null)); // true: payload is a live local
        Reference.reachabilityFence(payload); // keeps payload strongly reachable up to here
        payload = null;                       // the last strong reference is gone

        System.gc();
        Reference<? extends byte[]> cleared = queue.remove(5_000); // waits: reference processing runs apart
        System.out.println("cleared and queued: " + (cleared == weak) + ", get() = " + weak.get());
        System.out.println("soft still there: " + (soft.get() != null)); // until the heap runs short
    }
    // end::weak-and-queue[]

    public static void main(String[] args) throws InterruptedException {
        weakAndQueue();
    }
}
