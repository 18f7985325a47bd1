package workshop.support.junit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import workshop.support.TimeLimit;
import workshop.support.doctor.Doctor;
import workshop.support.testing.Patience;
import workshop.support.threads.LeakDetector;
import workshop.support.threads.ThreadDumps;
import workshop.support.threads.StuckThreads;
import workshop.support.threads.ThreadSnapshot;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * On by default for every test of the workshop (JUnit's extension auto-detection, switched on by the
 * {@code junit-platform.properties} of this library):
 * <ul>
 *   <li><b>the doctor</b>: a test class fails at once, in plain words, on a JVM that is not 25 or without preview;</li>
 *   <li><b>no hangs</b>: every test method (and each {@code @BeforeEach}/{@code @AfterEach} method) runs on a thread of
 *       its own with a time limit; past it the test fails with {@link ExerciseTimedOut}, showing where each thread is
 *       stuck, and the run goes on (the stuck thread is interrupted, and abandoned if it does not answer);</li>
 *   <li><b>no leaks</b>: a thread, virtual or platform, started during a test and still alive after it (past a short
 *       grace period) fails the test with {@link ThreadLeak}, naming each thread, its state and where it is
 *       blocked. The same holds for a test class's {@code @BeforeAll}/{@code @AfterAll}.</li>
 *   <li><b>stuck waits explained</b>: when a test's own wait gives up (an Awaitility condition, a
 *       {@link workshop.support.testing.Background} call that did not return), the failure shows the threads the
 *       test started, where each one is, and whether it waits, sleeps in a loop or spins.</li>
 * </ul>
 */
public final class ExerciseExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, InvocationInterceptor, TestExecutionExceptionHandler {

    /** The time limit of a test without {@link TimeLimit}, in seconds (times {@code workshop.timeScale}). */
    public static final int DEFAULT_TIME_LIMIT_SECONDS = 10;

    /** How long threads that are just finishing get before they count as leaked (times {@code workshop.timeScale}). */
    public static final Duration LEAK_GRACE = Duration.ofSeconds(2);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ExerciseExtension.class);
    private static final String BASELINE = "baseline";
    private static final String CLASS_BASELINE = "classBaseline";
    private static final String TIMED_OUT = "timedOut";

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> problems = Doctor.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException(Doctor.report(problems));
        }
        // mutable: each test adds what it leaves behind, which it reported itself
        context.getStore(NAMESPACE).put(CLASS_BASELINE, ConcurrentHashMap.newKeySet());
        classBaseline(context).addAll(LeakDetector.baseline());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Set<Long> baseline = LeakDetector.baseline();
        context.getStore(NAMESPACE).put(BASELINE, baseline);
        StuckThreads.testStarted(baseline);
        WaitTimeouts.install();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        Set<Long> testBaseline = context.getStore(NAMESPACE).get(BASELINE, Set.class);
        try {
            checkForLeaks(context, testBaseline, "this test");
        } finally {
            StuckThreads.testEnded();
            WaitTimeouts.forget();
            // what this test left behind is this test's to report; the class-level check must not report it again
            if (testBaseline != null) {
                List<Long> leftByThisTest = LeakDetector.involvedThreads(testBaseline).threads().stream()
                        .map(ThreadSnapshot::id).toList();
                for (ExtensionContext c = context.getParent().orElse(null); c != null; c = c.getParent().orElse(null)) {
                    classBaseline(c).addAll(leftByThisTest);
                }
            }
        }
    }

    /**
     * A wait of the test's own that gave up (Awaitility's {@code ConditionTimeoutException}) fails the test with the
     * threads it started and what each is doing, looked at when the wait gave up, before the test's clean-up. A
     * wait's fail-fast condition that held (Awaitility's {@code TerminalFailureException} with no cause) is the
     * test's own verdict on the exercise, so it fails the test as an assertion, with the test's message.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        Optional<StuckThreads.Report> report = WaitTimeouts.takeReport();
        if (report.isPresent() && WaitTimeouts.isWaitTimeout(thrown)) {
            throw new WaitTimedOut(thrown.getMessage() + "\n" + report.get(), thrown);
        }
        if (WaitTimeouts.isFailFast(thrown)) {
            throw new AssertionError(thrown.getMessage(), thrown);
        }
        throw thrown;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        checkForLeaks(context, classBaseline(context), "this test class's @BeforeAll/@AfterAll");
    }

    @SuppressWarnings("unchecked")
    private static Set<Long> classBaseline(ExtensionContext context) {
        Set<Long> set = context.getStore(NAMESPACE).get(CLASS_BASELINE, Set.class);
        return set != null ? set : ConcurrentHashMap.newKeySet();
    }

    private static void checkForLeaks(ExtensionContext context, Set<Long> baseline, String startedBy) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(TIMED_OUT) != null || baseline == null) {
            return; // a time-out already reported the stuck threads
        }
        ThreadDumps.Sample leaked = LeakDetector.leakedSince(baseline, scaled(LEAK_GRACE));
        if (!leaked.isEmpty()) {
            // JUnit attaches this to the test's own failure, if any, as a suppressed exception
            throw new ThreadLeak(leakMessage(context, startedBy, leaked), leaked.threads());
        }
    }

    private static String leakMessage(ExtensionContext context, String startedBy, ThreadDumps.Sample leaked) {
        int shown = 20;
        String threads = leaked.threads().stream().limit(shown).map(t -> "  - " + t.describe(6))
                .collect(Collectors.joining("\n"))
                + (leaked.matched() > shown ? "\n  ... and " + (leaked.matched() - shown) + " more" : "");
        return exerciseLabel(context) + leaked.matched() + (leaked.matched() == 1 ? " thread" : " threads")
                + " started by " + startedBy + " still alive " + scaled(LEAK_GRACE).toMillis()
                + " ms after it ended: a thread leak (Go's goleak would fail this test too).\n"
                + "Every thread a task starts must end: join it, close its executor (try-with-resources), "
                + "or make the thing it waits for happen. Still alive:\n" + threads;
    }

    // ---- time limits -------------------------------------------------------------------------------------------

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        runWithTimeLimit(invocation, extensionContext, "the test");
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        runWithTimeLimit(invocation, extensionContext, "the test");
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                          ExtensionContext extensionContext) throws Throwable {
        runWithTimeLimit(invocation, extensionContext, "@BeforeEach " + invocationContext.getExecutable().getName());
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext extensionContext) throws Throwable {
        runWithTimeLimit(invocation, extensionContext, "@AfterEach " + invocationContext.getExecutable().getName());
    }

    private static <T> T runWithTimeLimit(Invocation<T> invocation, ExtensionContext context, String what)
            throws Throwable {
        Duration limit = timeLimit(context);
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform()
                .daemon()
                .name("workshop-test-runner")
                .start(() -> {
                    try {
                        outcome.complete(invocation.proceed());
                    } catch (Throwable failure) {
                        outcome.completeExceptionally(failure);
                    }
                });
        try {
            return outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            context.getStore(NAMESPACE).put(TIMED_OUT, Boolean.TRUE);
            String message = timeoutMessage(context, what, limit, runner);
            runner.interrupt(); // a thread that answers interruption can still end cleanly
            throw new ExerciseTimedOut(message);
        }
    }

    private static String timeoutMessage(ExtensionContext context, String what, Duration limit, Thread runner) {
        @SuppressWarnings("unchecked")
        Set<Long> baseline = context.getStore(NAMESPACE).get(BASELINE, Set.class);
        StuckThreads.Report report = baseline != null ? StuckThreads.report(baseline, runner.threadId())
                : StuckThreads.report(runner.threadId());
        return exerciseLabel(context) + what + " did not finish within " + limit.toMillis() / 1000.0 + " s. "
                + report.diagnosis() + "\nThe test's thread is the one named workshop-test-runner. " + report.threads();
    }

    private static Duration timeLimit(ExtensionContext context) {
        int seconds = context.getTestMethod().flatMap(m -> annotation(m))
                .or(() -> context.getTestClass().flatMap(ExerciseExtension::classAnnotation))
                .map(TimeLimit::seconds)
                .orElse(DEFAULT_TIME_LIMIT_SECONDS);
        return scaled(Duration.ofSeconds(seconds));
    }

    private static Optional<TimeLimit> annotation(AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(TimeLimit.class));
    }

    private static Optional<TimeLimit> classAnnotation(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            TimeLimit found = c.getAnnotation(TimeLimit.class);
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    private static Duration scaled(Duration duration) {
        return Patience.scaled(duration);
    }

    /** {@code "01.3 WaitGroup › ...: "} — the exercise id first, as every failure message should start. */
    static String exerciseLabel(ExtensionContext context) {
        Optional<String> id = ExerciseTags.exerciseId(context);
        return id.map(i -> "[" + i + "] ").orElse("") + context.getDisplayName() + ": ";
    }

    /** The exercise ids a test carries, from its tags and its enclosing classes' tags. */
    static final class ExerciseTags {
        private ExerciseTags() {
        }

        static Optional<String> exerciseId(ExtensionContext context) {
            return Stream.iterate(context, c -> c.getParent().orElse(null))
                    .takeWhile(c -> c != null)
                    .flatMap(c -> c.getTags().stream())
                    .filter(tag -> tag.matches("\\d\\d\\.\\d+"))
                    .findFirst();
        }
    }
}
