package workshop.goroutines;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Forces the worst interleaving of a read-modify-write, every time, without sleeps: plugged in between the read and
 * the write, it holds each participating thread there until every other participant has also read, or cannot read
 * because it waits for a lock, or has finished. Without mutual exclusion all participants read the same value; with
 * it, the first one proceeds as soon as the others are seen waiting for the lock.
 */
final class ReadWriteRendezvous implements Runnable {

    private static final Duration SAFETY_NET = Duration.ofSeconds(5);

    private final Set<Thread> participants = ConcurrentHashMap.newKeySet();
    private final Set<Thread> started = ConcurrentHashMap.newKeySet();
    private final Set<Thread> arrived = ConcurrentHashMap.newKeySet();
    private final AtomicInteger seamCalls = new AtomicInteger();

    /**
     * Starts {@code n} platform threads that each run {@code action} once, and waits for all of them.
     *
     * @throws AssertionError if a thread did not finish (the message names the exercise)
     */
    void runTogether(String exercise, int n, Runnable action) throws InterruptedException {
        List<Thread> threads = java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> Thread.ofPlatform().name("participant-" + i).unstarted(() -> {
                    started.add(Thread.currentThread());
                    action.run();
                }))
                .toList();
        participants.addAll(threads);
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            if (!t.join(SAFETY_NET.multipliedBy(4))) {
                throw new AssertionError("[" + exercise + "] " + t.getName() + " did not finish its update within "
                        + SAFETY_NET.multipliedBy(4).toSeconds() + " s: a thread waiting for the lock should block, "
                        + "not spin (README " + exercise + ")");
            }
        }
    }

    /** How often a thread passed the seam between its read and its write. */
    int seamCalls() {
        return seamCalls.get();
    }

    @Override
    public void run() {
        Thread me = Thread.currentThread();
        if (!participants.contains(me)) {
            return;
        }
        seamCalls.incrementAndGet();
        arrived.add(me);
        long giveUp = System.nanoTime() + SAFETY_NET.toNanos(); // only a wrong solution can get here
        while (!everyOtherHasReadOrCannot(me) && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    private boolean everyOtherHasReadOrCannot(Thread me) {
        for (Thread other : participants) {
            if (other == me || arrived.contains(other)) {
                continue;
            }
            Thread.State state = other.getState();
            // not TIMED_WAITING: a thread that sleeps before it reads is not excluded, only late
            boolean waitingForLock = started.contains(other)
                    && (state == Thread.State.BLOCKED || state == Thread.State.WAITING);
            if (!waitingForLock && state != Thread.State.TERMINATED) {
                return false;
            }
        }
        return true;
    }
}
