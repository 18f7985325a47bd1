package workshop.scenarios.deploy.application;

import java.time.Duration;

/**
 * Waits a while: {@code Thread::sleep} in the service, a fake the test controls in the tests (so that no test waits
 * the real five seconds of a preStop delay, and a test can see what was waited and when).
 */
@FunctionalInterface
public interface Pause {

    /**
     * Returns after {@code duration} has passed.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    void pause(Duration duration) throws InterruptedException;
}
