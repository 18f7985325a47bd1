package workshop.support.junit;

/**
 * A wait of the test's own gave up (an Awaitility condition that never held): the message is the wait's, followed by
 * the threads the test started and what each of them was doing when the wait gave up.
 */
public final class WaitTimedOut extends AssertionError {
    WaitTimedOut(String message, Throwable cause) {
        super(message, cause);
    }
}
