package workshop.support.testing;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Parked.awaitWaiting")
class ParkedTest {

    @Test
    @DisplayName("returns once a call waits with no time-out")
    void acceptsAnUntimedWait() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Background<Void> call = Background.run("[99.9] await()", release::await);
        try {
            Parked.awaitWaiting(call, "99.9", "await() returned at once");
        } finally {
            release.countDown();
            call.await(Patience.seconds(5));
        }
    }

    @Test
    @DisplayName("fails a sleep-polling call well before its patience runs out, and says it polls")
    void failsASleepPollerFast() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Background<Void> call = Background.run("[99.9] poll()", () -> {
            while (release.getCount() > 0) {
                Thread.sleep(1);
            }
        });
        long start = System.nanoTime();
        try {
            assertThatThrownBy(() -> Parked.awaitWaiting(call, "99.9", "poll() returned at once"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("[99.9] a thread that waits with no time-out should park")
                    .hasMessageContaining("sleeping or polling in a loop?")
                    .hasMessageContaining("SLEEP-POLLING");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail a sleep-poller")
                    .isLessThan(Parked.PATIENCE);
        } finally {
            release.countDown();
            call.await(Patience.seconds(5));
        }
    }

    @Test
    @DisplayName("fails at once, with the reason, when the call returns instead of waiting")
    void failsACallThatReturns() {
        Background<Void> call = Background.run("[99.9] await()", () -> { });
        assertThatThrownBy(() -> Parked.awaitWaiting(call, "99.9", "await() returned at once"))
                .hasMessage("[99.9] await() returned at once (README 99.9)");
    }
}
