package workshop.scenarios.deploy.application;

import workshop.scenarios.deploy.domain.Item;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** The fakes 06.18's tests give a {@link WarmCache}: a source that the test holds and fails, and a pause. */
final class WarmCacheFakes {

    private WarmCacheFakes() {
    }

    /** The items of the fake source, in the order it loads them. */
    static final List<String> IDS = List.of("a", "b", "c", "d");

    static Item item(String id) {
        return new Item(id, "Title " + id);
    }

    /**
     * A source of {@link #IDS}: it records every call in {@link #log} and the threads that call it; the test makes
     * its first attempts fail (at item "c", with "a" and "b" loaded), and holds it at one item until released.
     */
    static final class Source implements ItemSource {
        final List<String> log = new CopyOnWriteArrayList<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger loads = new AtomicInteger();
        /** The first this many attempts fail. */
        volatile int failingAttempts;
        /** The item whose load waits for {@link #release}, if any. */
        volatile String holdAt;
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** Whether a held load was interrupted. */
        volatile boolean interrupted;

        Source holdAt(String id) {
            holdAt = id;
            return this;
        }

        Source failing(int attempts) {
            failingAttempts = attempts;
            return this;
        }

        @Override
        public List<String> ids() throws InterruptedException {
            threads.add(Thread.currentThread());
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before the source answered");
            }
            log.add("attempt " + attempts.incrementAndGet());
            return IDS;
        }

        @Override
        public Item load(String id) throws SourceUnavailable, InterruptedException {
            threads.add(Thread.currentThread());
            loads.incrementAndGet();
            int attempt = attempts.get();
            if (attempt <= failingAttempts && id.equals("c")) {
                log.add("attempt " + attempt + " failed");
                throw new SourceUnavailable("the source is down (attempt " + attempt + ")");
            }
            if (id.equals(holdAt)) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    throw e;
                }
            }
            return item(id);
        }

        /** The threads other than {@code caller} that read the source: the warm-up's. */
        List<Thread> warmers(Thread caller) {
            return threads.stream().filter(t -> t != caller).toList();
        }
    }

    /**
     * A pause that returns at once and records what it was asked to wait, in the source's log too; after
     * {@code returning} pauses it waits until interrupted (a cache that retries for ever is then held still).
     */
    static final class FakePause implements Pause {
        final List<Duration> pauses = new CopyOnWriteArrayList<>();
        private final List<String> log;
        private final int returning;

        FakePause(Source source, int returning) {
            this.log = source.log;
            this.returning = returning;
        }

        @Override
        public void pause(Duration duration) throws InterruptedException {
            pauses.add(duration);
            log.add("pause " + duration.toMillis() + " ms");
            if (pauses.size() > returning) {
                new CountDownLatch(1).await();
            }
        }
    }
}
