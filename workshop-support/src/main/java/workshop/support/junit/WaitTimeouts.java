package workshop.support.junit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.TimeoutEvent;
import workshop.support.threads.StuckThreads;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Looks at the threads when one of a test's Awaitility waits gives up, before the test's clean-up ends them: a
 * default condition listener of Awaitility's, installed by the extension when Awaitility is on the class path.
 */
final class WaitTimeouts {

    private static final AtomicReference<StuckThreads.Report> LAST = new AtomicReference<>();
    private static final boolean AWAITILITY = present("org.awaitility.Awaitility");
    private static volatile boolean installed;

    private WaitTimeouts() {
    }

    static void install() {
        LAST.set(null);
        if (AWAITILITY && !installed) {
            Listener.install();
            installed = true;
        }
    }

    static void forget() {
        LAST.set(null);
    }

    /** The report taken when the current test's latest wait gave up, if one did; once. */
    static Optional<StuckThreads.Report> takeReport() {
        return Optional.ofNullable(LAST.getAndSet(null));
    }

    /** Whether {@code thrown} (or a cause of it) is Awaitility's time-out. */
    static boolean isWaitTimeout(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals("org.awaitility.core.ConditionTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code thrown} is a fail-fast condition of the test's own that held: Awaitility's terminal failure
     * without a cause (one with a cause wraps an exception the condition threw, which tells more as it is).
     */
    static boolean isFailFast(Throwable thrown) {
        return thrown.getCause() == null
               && thrown.getClass().getName().equals("org.awaitility.core.TerminalFailureException");
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, WaitTimeouts.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Kept apart so that nothing of Awaitility's loads when it is not on the class path. */
    private static final class Listener implements ConditionEvaluationListener<Object> {
        static void install() {
            Awaitility.setDefaultConditionEvaluationListener(new Listener());
        }

        @Override
        public void conditionEvaluated(EvaluatedCondition<Object> condition) {
        }

        @Override
        public void onTimeout(TimeoutEvent timeout) {
            LAST.set(StuckThreads.report());
        }
    }
}
