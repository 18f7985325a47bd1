package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;
import workshop.support.NotSolvedYet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Exercise 05.11's graded test: runs the learner's {@link DurationsTableTest} through the JUnit Platform's
 * {@code Launcher}, first against the real {@link Durations} (it must pass, with enough cases), then against each
 * broken version of {@link BrokenDurations}, loaded as {@code Durations} by a {@link TestThatBitesLoader} (it must
 * fail). The nested runs execute on this test's own thread, so this test's time limit bounds them; they run without
 * the workshop's extension and listeners (no progress is recorded for them, no doctor).
 */
@Tag("05.11")
@DisplayName("05.11 A test that bites")
class TestThatBitesTest {

    /** The fewest cases a table must have: Go's table for {@code ParseDuration} has more than 40, and 19 errors. */
    static final int AT_LEAST = 12;

    /** The broken versions: what each one gets wrong, and what kind of case catches it (never the case itself). */
    enum Broken {
        NO_SIGN("ignores the sign: a negative duration comes out positive",
                "a negative duration, with its expected (negative) value"),
        FRACTION_DROPPED("drops the fraction of a number", "a number with a decimal fraction, as Go's table has"),
        NO_MICROSECONDS("does not know the microsecond unit",
                "a case for every unit, from ns to h, and each spelling of microseconds"),
        LAST_PART_ONLY("keeps only the last part of a duration made of several parts",
                "a duration made of several parts, as Go's table has"),
        INVALID_IS_ZERO("returns zero for input that is not a duration, instead of throwing",
                "inputs that are not durations, and assert that parse throws IllegalArgumentException for each"),
        OVERFLOW_WRAPS("wraps around past the largest duration instead of rejecting it",
                "cases at the limits: the largest duration there is, and one just past it, which must be rejected");

        final String idea;
        final String add;

        Broken(String idea, String add) {
            this.idea = idea;
            this.add = add;
        }

        @Override
        public String toString() {
            return idea;
        }
    }

    /** What one run of the learner's test class did. */
    record Run(int tests, int passed, List<String> failures, List<Throwable> thrown) {
    }

    @Test
    @DisplayName("your table passes on the correct Durations.parse, with at least 12 cases")
    void passesOnTheCorrectImplementation() {
        Run run = onTheCorrectImplementation();

        assertThat(run.tests()).as("[05.11] cases your table ran on the correct Durations.parse: %d. Write at least "
                + "%d: values and errors, each feature of the format (README 05.11)", run.tests(), AT_LEAST)
                .isGreaterThanOrEqualTo(AT_LEAST);
    }

    @ParameterizedTest(name = "your table catches a broken Durations.parse that {0}")
    @DisplayName("your table catches each broken version")
    @EnumSource(Broken.class)
    void catches(Broken broken) throws ReflectiveOperationException {
        int correct = onTheCorrectImplementation().tests();
        TestThatBitesLoader loader = new TestThatBitesLoader(getClass().getClassLoader(), BrokenDurations.class,
                DurationsTableTest.class);
        var field = loader.loadClass(TestThatBitesLoader.TARGET).getDeclaredField("broken");
        field.setAccessible(true);
        field.set(null, broken.name());

        Run run = run(loader.loadClass(DurationsTableTest.class.getName()));

        run.thrown().stream().filter(t -> inChain(t, LinkageError.class).isPresent()).findFirst().ifPresent(t -> {
            throw new IllegalStateException("[05.11] the broken version " + broken.name() + " did not link with "
                    + "your test: a defect of the workshop, not of your test", t);
        });
        assertThat(run.tests() + run.failures().size()).as("[05.11] tests of your table that ran against the broken "
                + "version %s (%d ran on the correct one)", broken.name(), correct).isPositive();
        assertThat(run.failures()).as("[05.11] your table passed all %d cases on a broken Durations.parse that %s: "
                + "it cannot catch that mistake, and a test that cannot fail proves nothing. Add %s (README 05.11)",
                run.tests(), broken.idea, broken.add).isNotEmpty();
    }

    /** The run on the real {@link Durations}, once per test class: each test judges it again. */
    private static Run correct;

    /** The learner's table on the real {@link Durations}: not solved yet, or failing, ends the test here. */
    private static Run onTheCorrectImplementation() {
        Run run;
        synchronized (TestThatBitesTest.class) {
            if (correct == null) {
                correct = run(DurationsTableTest.class);
            }
            run = correct;
        }
        run.thrown().stream().map(t -> inChain(t, NotSolvedYet.class)).flatMap(Optional::stream).findFirst()
                .ifPresent(notSolved -> {
                    throw (NotSolvedYet) notSolved;
                });
        assertThat(run.failures()).as("[05.11] your table fails on the correct Durations.parse in %d of %d cases, "
                + "the first: %s. A test must pass on a correct implementation before it can catch a broken one: "
                + "check each case's expected value against Go's time.ParseDuration (README 05.11)",
                run.failures().size(), run.tests(), run.failures().stream().findFirst().orElse("")).isEmpty();
        return run;
    }

    /** Runs a test class through a launcher of its own: no auto-registered listeners, no workshop extension. */
    static Run run(Class<?> testClass) {
        LauncherConfig config = LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false)
                .build();
        LauncherDiscoveryRequest discovery = request()
                .selectors(selectClass(testClass))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                .build();
        List<String> failures = new ArrayList<>();
        List<Throwable> thrown = new ArrayList<>();
        int[] tests = {0, 0};
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        current.setContextClassLoader(testClass.getClassLoader()); // a class named in a @MethodSource: the same one
        try {
            LauncherFactory.create(config).execute(discovery, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (test.isTest()) {
                        tests[0]++;
                    }
                    if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                        tests[1] += test.isTest() ? 1 : 0;
                        return;
                    }
                    failures.add(test.getDisplayName() + ": " + result.getThrowable().map(String::valueOf)
                            .orElse("aborted"));
                    result.getThrowable().ifPresent(thrown::add);
                }
            });
        } finally {
            current.setContextClassLoader(before);
        }
        return new Run(tests[0], tests[1], List.copyOf(failures), List.copyOf(thrown));
    }

    private static Optional<Throwable> inChain(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
