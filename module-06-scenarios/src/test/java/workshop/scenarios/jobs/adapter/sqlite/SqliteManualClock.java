package workshop.scenarios.jobs.adapter.sqlite;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue's clock in a test: it stands still until the test moves it. It starts far from the wall clock (in 2031),
 * so that a queue that reads the wall clock instead of this one is caught.
 */
final class SqliteManualClock implements InstantSource {

    static final Instant START = Instant.parse("2031-03-14T09:26:53.589Z");

    private final AtomicLong millis = new AtomicLong(START.toEpochMilli());

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }
}
