package workshop.support.junit;

/**
 * A test ran past its time limit: the learner's code (or the test) is stuck in an infinite loop or a deadlock. Its
 * message shows where every thread the test started is stuck. The starter check never accepts it as the reason a
 * starter fails: a starter must fail fast.
 */
public final class ExerciseTimedOut extends AssertionError {
    ExerciseTimedOut(String message) {
        super(message);
    }
}
