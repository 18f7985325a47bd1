package workshop.support.starter;

import workshop.support.NotSolvedYet;
import workshop.support.junit.ExerciseTimedOut;
import workshop.support.junit.ThreadLeak;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Whether one exercise test failed on the starter the way it should: with the "not solved yet" signal, or with an
 * assertion (the bug a bug-fix exercise is about, a leaked thread) — fast, and without a time-out, an unrelated
 * exception, a pass, or a leak of its own on top.
 */
public final class StarterVerdict {

    /**
     * The tag of a test whose exercise is a leak: on the starter it may fail on the leak alone. Any other test that
     * fails only because of a leak checks nothing of its own on the starter.
     */
    public static final String LEAK_TAG = "leak";

    /**
     * The tag of a test that must pass on the starter as on the reference: a test of a module's own machinery (the
     * rules of a layout on their fixtures, a simulated server), or a check, tagged with its exercise too, that the
     * exercise's code keeps working while the learner changes its shape.
     */
    public static final String MACHINERY_TAG = "machinery";

    /** A starter must fail well within this (times {@code workshop.timeScale}). */
    public static final Duration FAST_ENOUGH = Duration.ofSeconds(5);

    private StarterVerdict() {
    }

    /**
     * @param failure      what the test threw, or empty if it passed
     * @param duration     how long it ran
     * @param fastEnough   how long a starter may take to fail
     * @param leakExercise whether the test is tagged {@value #LEAK_TAG}: a leak is then the failure it is about
     * @return empty if the test failed as it should; otherwise what is wrong with it
     */
    public static Optional<String> judge(Optional<Throwable> failure, Duration duration, Duration fastEnough,
                                         boolean leakExercise) {
        if (failure.isEmpty()) {
            return Optional.of("PASSED on the starter: this test cannot fail, so it proves nothing");
        }
        Throwable thrown = failure.get();
        if (inChain(thrown, ExerciseTimedOut.class)) {
            return Optional.of("timed out on the starter: a stub must fail fast, not hang (" + firstLine(thrown) + ")");
        }
        boolean signal = inChain(thrown, NotSolvedYet.class);
        if (!signal && !(thrown instanceof AssertionError)) {
            return Optional.of("failed for an unrelated reason: " + thrown.getClass().getName() + ": "
                    + firstLine(thrown));
        }
        if (thrown instanceof ThreadLeak && !leakExercise) {
            return Optional.of("fails on the starter only because of a thread leak: without it the test would pass, so "
                    + "it checks nothing of its own (tag it @Tag(\"" + LEAK_TAG + "\") if the leak is the exercise)");
        }
        if (!(thrown instanceof ThreadLeak) && Arrays.stream(thrown.getSuppressed()).anyMatch(ThreadLeak.class::isInstance)) {
            return Optional.of("leaks threads of its own when the starter fails: the test must clean up after itself");
        }
        if (duration.compareTo(fastEnough) > 0) {
            return Optional.of("took " + duration.toMillis() + " ms to fail; a starter must fail within "
                    + fastEnough.toMillis() + " ms");
        }
        return Optional.empty();
    }

    private static boolean inChain(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (type == ExerciseTimedOut.class && type.isInstance(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstLine(Throwable t) {
        String message = String.valueOf(t.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline) + " ...";
    }
}
