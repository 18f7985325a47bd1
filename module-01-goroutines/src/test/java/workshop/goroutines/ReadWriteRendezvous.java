package workshop.goroutines;

import workshop.support.testing.Patience;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Forces the interleaving that loses an update, every time, without sleeps. Plugged in between a read-modify-write's
 * read and its write (the {@code betweenReadAndWrite} seam), it holds the <em>first</em> thread that gets there, A,
 * while every other participant runs its whole update; A goes on once each of the others has finished, or is
 * blocked in the code under test (waiting for a lock A holds), or is spinning (it burns CPU without getting anywhere,
 * as a spin lock does). The seam lets every later call pass at once.
 *
 * <p>What each kind of solution does under that hold:
 * <ul>
 *   <li>a lock held across read, seam and write: the others block on it; A writes; nothing is lost;</li>
 *   <li>a compare-and-set loop: the others finish; A's compare-and-set fails, so A reads again and passes the seam a
 *       second time; nothing is lost;</li>
 *   <li>read, seam, write with nothing around them: the others finish, then A writes what it read before they
 *       did: their updates are lost;</li>
 *   <li>seam, then read and write with nothing around them: the others finish, A then reads their result and
 *       writes one more, so the count comes out right although the code is racy; but A finished after passing the
 *       seam only once while the others updated the count under its feet, which only a read after the seam allows.
 *       {@link #othersFinishedWhileHeld()} and {@link #holderSeamCalls()} show it.</li>
 * </ul>
 */
final class ReadWriteRendezvous implements Runnable {

    /** The longest A is held (only a solution whose waiting threads sleep in a loop gets near it). */
    private static final Duration SAFETY_NET = Patience.seconds(5);

    /** CPU time after which a participant that neither finished nor blocked counts as spinning on A's lock. */
    private static final Duration SPINNING = Duration.ofMillis(200);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Class<?> underTest;
    private final Set<Thread> participants = ConcurrentHashMap.newKeySet();
    private final Map<Thread, Long> cpuAtStart = new ConcurrentHashMap<>();
    private final Set<Thread> finished = ConcurrentHashMap.newKeySet();
    private final Map<Thread, AtomicInteger> seamCalls = new ConcurrentHashMap<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Thread> holder = new AtomicReference<>();
    private volatile int othersFinishedWhileHeld = -1;
    private volatile String heldUntil = "";

    /** @param underTest the class whose method the participants call: a thread blocked in it is waiting for A */
    ReadWriteRendezvous(Class<?> underTest) {
        this.underTest = underTest;
    }

    /**
     * Starts {@code n} platform threads that each run {@code action} once, and waits for all of them. Rethrows what a
     * participant threw (a learner's exception is the failure to show).
     *
     * @throws AssertionError if a thread did not finish (the message names the exercise)
     */
    void runTogether(String exercise, int n, Runnable action) throws InterruptedException {
        List<Thread> threads = IntStream.range(0, n)
                .mapToObj(i -> Thread.ofPlatform().name("participant-" + i).unstarted(() -> {
                    Thread me = Thread.currentThread();
                    cpuAtStart.put(me, cpuTime(me));
                    try {
                        action.run();
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        finished.add(me);
                    }
                }))
                .toList();
        participants.addAll(threads);
        threads.forEach(Thread::start);
        Duration limit = SAFETY_NET.multipliedBy(4);
        for (Thread t : threads) {
            if (!t.join(limit)) {
                throw new AssertionError("[" + exercise + "] " + t.getName() + " did not finish its update within "
                        + limit.toSeconds() + " s; it is " + t.getState() + " at "
                        + Arrays.stream(t.getStackTrace()).limit(4).toList() + ": a thread waiting for the lock "
                        + "should block, not spin (README " + exercise + ")");
            }
        }
        Throwable failure = failures.peek();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    /** How often the participants passed the seam between a read and its write, all together. */
    int seamCalls() {
        return seamCalls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** How often the held thread, A, passed the seam in all; 0 if no participant ever got there. */
    int holderSeamCalls() {
        Thread a = holder.get();
        return a == null ? 0 : seamCalls.getOrDefault(a, new AtomicInteger()).get();
    }

    /** How many of the other participants finished their whole update while A was held at the seam. */
    int othersFinishedWhileHeld() {
        return Math.max(0, othersFinishedWhileHeld);
    }

    /** Why A was let go: every other participant finished, blocked or spun, or the safety net ran out. */
    String heldUntil() {
        return heldUntil;
    }

    @Override
    public void run() {
        Thread me = Thread.currentThread();
        if (!participants.contains(me)) {
            return; // a call the test makes itself, or the learner's from another thread: not part of the race
        }
        seamCalls.computeIfAbsent(me, t -> new AtomicInteger()).incrementAndGet();
        if (!holder.compareAndSet(null, me)) {
            return; // only the first call is held; A's second call (a retry) and every other thread's pass at once
        }
        long giveUp = System.nanoTime() + SAFETY_NET.toNanos();
        String why;
        while ((why = everyOtherFinishedBlockedOrSpinning(me)) == null) {
            if (System.nanoTime() - giveUp > 0) {
                why = "the safety net of " + SAFETY_NET.toMillis() + " ms ran out";
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
        heldUntil = why;
        othersFinishedWhileHeld = (int) finished.stream().filter(t -> t != me).count();
    }

    /** Null while some other participant may still get to its read; else why none can. */
    private String everyOtherFinishedBlockedOrSpinning(Thread me) {
        List<String> reasons = new ArrayList<>();
        for (Thread other : participants) {
            if (other == me) {
                continue;
            }
            if (finished.contains(other)) {
                reasons.add(other.getName() + " finished");
            } else if (blockedInCodeUnderTest(other)) {
                reasons.add(other.getName() + " blocked");
            } else if (spinning(other)) {
                reasons.add(other.getName() + " spinning");
            } else {
                return null;
            }
        }
        return String.join(", ", reasons);
    }

    /**
     * Parked or blocked (not sleeping: a thread that sleeps before it reads is only late) inside the class under
     * test, so waiting for a lock, not for the test's own bookkeeping.
     */
    private boolean blockedInCodeUnderTest(Thread other) {
        Thread.State state = other.getState();
        if (state != Thread.State.BLOCKED && state != Thread.State.WAITING) {
            return false;
        }
        String name = underTest.getName();
        boolean inCodeUnderTest = Arrays.stream(other.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(name) || frame.getClassName().startsWith(name + "$"));
        return inCodeUnderTest && other.getState() == state; // the same wait before and after the look at its stack
    }

    private boolean spinning(Thread other) {
        Long start = cpuAtStart.get(other);
        long now = cpuTime(other);
        return start != null && start >= 0 && now >= 0 && now - start >= SPINNING.toNanos();
    }

    private static long cpuTime(Thread thread) {
        return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
    }
}
