package workshop.scenarios.deploy.application;

import java.time.Duration;

/**
 * The rolling restart's only source of time: a monotonic clock and a pause, so that a test can run a 60-second
 * deadline in no time on a fake (Go: {@code time.Now}/{@code time.Sleep}, or {@code testing/synctest}'s fake clock).
 */
public interface Ticker {

    /** The current time in nanoseconds, for intervals only, as {@link System#nanoTime()}. */
    long nanoTime();

    /**
     * Pauses the calling thread for {@code duration}.
     *
     * @throws InterruptedException if interrupted while pausing (the pause ends at once, the status cleared)
     */
    void sleep(Duration duration) throws InterruptedException;

    /** The real one: {@link System#nanoTime()} and {@link Thread#sleep(Duration)}. */
    static Ticker system() {
        return new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration);
            }
        };
    }
}
