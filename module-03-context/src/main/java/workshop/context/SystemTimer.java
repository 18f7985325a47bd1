package workshop.context;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Timer#system()}: {@link Instant#now()} for the clock, and a virtual thread per scheduled task that sleeps
 * until the task is due. A cancelled task's thread is interrupted and ends at once, so nothing outlives its context.
 */
final class SystemTimer implements Timer {

    static final SystemTimer INSTANCE = new SystemTimer();

    private SystemTimer() {
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Scheduled schedule(Instant at, Runnable task) {
        AtomicBoolean claimed = new AtomicBoolean();
        Thread sleeper = Thread.ofVirtual().name("context-timer").start(() -> {
            try {
                Duration left = Duration.between(Instant.now(), at);
                while (left.isPositive()) {
                    Thread.sleep(left);
                    left = Duration.between(Instant.now(), at);
                }
            } catch (InterruptedException cancelled) {
                return;
            }
            if (claimed.compareAndSet(false, true)) {
                task.run();
            }
        });
        return () -> {
            boolean prevented = claimed.compareAndSet(false, true);
            if (prevented) {
                sleeper.interrupt();
            }
            return prevented;
        };
    }
}
