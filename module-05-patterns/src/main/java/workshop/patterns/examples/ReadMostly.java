package workshop.patterns.examples;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * What the JDK's maps and locks do to a reader, measured with thread states rather than timings: a slow
 * {@code computeIfAbsent} in {@link ConcurrentHashMap} (its bin is locked, its reads are not), a waiting writer in a
 * {@link ReentrantReadWriteLock} (new readers queue behind it), and {@link StampedLock}'s optimistic read (no lock
 * at all, then a validation) and its lack of reentrancy. The throughput of each at several read/write mixes is the
 * lab's (see the module README).
 */
public final class ReadMostly {

    private ReadMostly() {
    }

    // tag::bin-lock[]
    static void slowLoadInABin() throws InterruptedException {
        var map = new ConcurrentHashMap<String, String>();
        map.put("xyz", "cached");
        var loading = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Thread loader = Thread.ofPlatform().start(() -> map.computeIfAbsent("Aa", key -> {
            loading.countDown();
            await(release);                                    // a slow load: the bin of "Aa" stays locked
            return "loaded";
        }));
        loading.await();
        System.out.println("get(\"BB\") while \"Aa\" loads: " + map.get("BB")        // same hash code, same bin
                + "; get(\"xyz\"): " + map.get("xyz"));                                // reads never lock
        Thread sameBin = Thread.ofPlatform().start(() -> map.computeIfAbsent("BB", key -> "other"));
        Thread otherBin = Thread.ofPlatform().start(() -> map.computeIfAbsent("k1", key -> "other"));
        otherBin.join();
        System.out.println("computeIfAbsent(\"k1\") returned; computeIfAbsent(\"BB\") is "
                + settledState(sameBin));                                              // BLOCKED on the bin
        release.countDown();
        loader.join();
        sameBin.join();
    }
    // end::bin-lock[]

    // tag::writer-first[]
    static void readersQueueBehindAWriter() throws InterruptedException {
        var lock = new ReentrantReadWriteLock();              // nonfair, the default
        var reading = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Thread longReader = Thread.ofPlatform().start(() -> {
            lock.readLock().lock();
            try {
                reading.countDown();
                await(release);                                // a long read
            } finally {
                lock.readLock().unlock();
            }
        });
        reading.await();
        Thread writer = Thread.ofPlatform().start(() -> {
            lock.writeLock().lock();                           // waits for the long reader
            lock.writeLock().unlock();
        });
        while (!lock.hasQueuedThread(writer)) {
            Thread.onSpinWait();
        }
        Thread newReader = Thread.ofPlatform().start(() -> {
            lock.readLock().lock();                            // the read lock is free to share, and yet...
            lock.readLock().unlock();
        });
        boolean barged = lock.readLock().tryLock();            // tryLock ignores the queue
        System.out.println("writer " + settledState(writer) + ", new reader " + settledState(newReader)
                + ", readLock().tryLock() " + barged);
        if (barged) {
            lock.readLock().unlock();
        }
        release.countDown();
        longReader.join();
        writer.join();
        newReader.join();
    }
    // end::writer-first[]

    // tag::optimistic[]
    static final class Point {
        private final StampedLock lock = new StampedLock();
        private double x;
        private double y;

        void move(double dx, double dy) {
            long stamp = lock.writeLock();
            try {
                x += dx;
                y += dy;
            } finally {
                lock.unlockWrite(stamp);
            }
        }

        double distanceFromOrigin() {
            long stamp = lock.tryOptimisticRead();             // no lock taken: a version number
            double currentX = x;                               // may read a torn pair...
            double currentY = y;
            if (!lock.validate(stamp)) {                       // ...so check no writer came in between
                stamp = lock.readLock();                       // if one did, read again under the read lock
                try {
                    currentX = x;
                    currentY = y;
                } finally {
                    lock.unlockRead(stamp);
                }
            }
            return Math.hypot(currentX, currentY);             // compute only on values that were validated
        }
    }
    // end::optimistic[]

    // tag::not-reentrant[]
    static void notReentrant() {
        var lock = new StampedLock();
        long stamp = lock.writeLock();
        try {
            System.out.println("StampedLock: tryWriteLock() while this thread holds the write lock: "
                    + lock.tryWriteLock() + ", tryReadLock(): " + lock.tryReadLock());  // 0 = refused
            // lock.readLock() here would wait for ever: a StampedLock has no owner, so no reentrancy
        } finally {
            lock.unlockWrite(stamp);
        }
        var reentrant = new ReentrantReadWriteLock();
        reentrant.writeLock().lock();
        System.out.println("ReentrantReadWriteLock: readLock().tryLock() under its own write lock: "
                + reentrant.readLock().tryLock());                                    // a downgrade: allowed
        reentrant.readLock().unlock();
        reentrant.writeLock().unlock();
    }
    // end::not-reentrant[]

    /** The state of a thread once it has stopped changing for 50 ms (a blocked thread stays blocked). */
    static Thread.State settledState(Thread thread) {
        Thread.State last = thread.getState();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < TimeUnit.MILLISECONDS.toNanos(50)) {
            Thread.State now = thread.getState();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
            Thread.onSpinWait();
        }
        return last;
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("\"Aa\".hashCode() == \"BB\".hashCode(): " + ("Aa".hashCode() == "BB".hashCode()));
        slowLoadInABin();
        readersQueueBehindAWriter();
        var point = new Point();
        point.move(3, 4);
        System.out.println("optimistic read: distance " + point.distanceFromOrigin());
        notReentrant();
    }
}
