package workshop.support.testing;

import java.time.Duration;

/**
 * How long a test may wait for something, stretched on slow machines: every duration times the system property
 * {@code workshop.timeScale} (default 1). The extension's time limits, its leak grace period, the starter check and
 * the tests' own waits all go through here, so {@code -Dworkshop.timeScale=3} stretches all of them alike.
 */
public final class Patience {

    private Patience() {
    }

    /** {@code duration} times {@code workshop.timeScale}. */
    public static Duration scaled(Duration duration) {
        double scale = Double.parseDouble(System.getProperty("workshop.timeScale", "1"));
        return Duration.ofMillis((long) (duration.toMillis() * Math.max(scale, 0.1)));
    }

    /** {@code seconds} seconds, times {@code workshop.timeScale}. */
    public static Duration seconds(long seconds) {
        return scaled(Duration.ofSeconds(seconds));
    }
}
