package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("03.3")
@DisplayName("03.3 Context: deadlines")
class ContextDeadlineTest {

    private static final Duration NANO = Duration.ofNanos(1);

    private final FakeTimer timer = new FakeTimer();
    private final Context root = Context.background(timer);
    private final Instant inTenSeconds = FakeTimer.START.plusSeconds(10);

    @Test
    @DisplayName("is done with DEADLINE_EXCEEDED at its deadline, not a nanosecond before")
    void doneAtTheDeadline() {
        Cancellable child = Context.withDeadline(root, inTenSeconds);

        assertThat(child.context().deadline())
                .as("[03.3] deadline() should be the instant given to withDeadline (README 03.3)")
                .contains(inTenSeconds);

        timer.advanceTo(inTenSeconds.minus(NANO));
        assertThat(child.context().err())
                .as("[03.3] one nanosecond before its deadline the context should not be done, but err() was %s "
                    + "(README 03.3)", child.context().err())
                .isNull();

        timer.advance(NANO);
        assertThat(child.context().err())
                .as("[03.3] at its deadline the context should be done with DEADLINE_EXCEEDED (not CANCELED), but "
                    + "err() was %s: does withDeadline schedule a task on the root's timer, and cancel with the "
                    + "other error? (README 03.3)", child.context().err())
                .isEqualTo(ContextError.DEADLINE_EXCEEDED);
        child.cancel();
    }

    @Test
    @DisplayName("withTimeout counts from now on the root's timer")
    void withTimeoutReadsTheRootsTimer() {
        timer.advance(Duration.ofHours(1));

        Cancellable child = Context.withTimeout(root, Duration.ofSeconds(5));

        assertThat(child.context().deadline())
                .as("[03.3] withTimeout(5 s) an hour into the timer's day should end at start + 1 h + 5 s, but "
                    + "deadline() was %s: does it read now from the root's Timer, not Instant.now()? (README 03.3)",
                        child.context().deadline())
                .contains(FakeTimer.START.plus(Duration.ofHours(1)).plusSeconds(5));
        timer.advance(Duration.ofSeconds(5));
        assertThat(child.context().err())
                .as("[03.3] 5 s after withTimeout(5 s) the context should be DEADLINE_EXCEEDED, but was %s "
                    + "(README 03.3)", child.context().err())
                .isEqualTo(ContextError.DEADLINE_EXCEEDED);
    }

    @Test
    @DisplayName("a deadline already passed makes a child born done with DEADLINE_EXCEEDED")
    void passedDeadlineIsBornDone() {
        timer.advance(Duration.ofMinutes(1));

        Cancellable late = Context.withDeadline(root, FakeTimer.START);
        Cancellable now = Context.withTimeout(root, Duration.ZERO);

        assertThat(late.context().err())
                .as("[03.3] a deadline in the past should make the child done at once, before withDeadline "
                    + "returns, with DEADLINE_EXCEEDED, but err() was %s (README 03.3)", late.context().err())
                .isEqualTo(ContextError.DEADLINE_EXCEEDED);
        assertThat(now.context().err())
                .as("[03.3] withTimeout(0) is due now, so it should be born done with DEADLINE_EXCEEDED, but err() "
                    + "was %s (README 03.3)", now.context().err())
                .isEqualTo(ContextError.DEADLINE_EXCEEDED);
        assertThat(timer.outstanding())
                .as("[03.3] a child born done has nothing to wait for: no timer task should be left pending "
                    + "(README 03.3)")
                .isZero();
    }

    @Test
    @DisplayName("descendants of a deadline context end with DEADLINE_EXCEEDED too, and share its deadline")
    void descendantsShareTheDeadline() {
        Cancellable parent = Context.withDeadline(root, inTenSeconds);
        Cancellable child = Context.withCancel(parent.context());
        Cancellable grandchild = Context.withCancel(child.context());

        assertThat(grandchild.context().deadline())
                .as("[03.3] deadline() is the earliest deadline on the way to the root, so a withCancel grandchild "
                    + "should report its grandparent's, but was %s (README 03.3)", grandchild.context().deadline())
                .contains(inTenSeconds);

        timer.advanceTo(inTenSeconds);

        assertThat(grandchild.context().err())
                .as("[03.3] when an ancestor's deadline passes, descendants should be DEADLINE_EXCEEDED too, but "
                    + "err() was %s: does the deadline pass its own error down? (README 03.3)",
                        grandchild.context().err())
                .isEqualTo(ContextError.DEADLINE_EXCEEDED);
    }

    @Test
    @DisplayName("a context that passed its deadline lets go of its children")
    void passedDeadlineLetsGoOfTheChildren() {
        Cancellable parent = Context.withDeadline(root, inTenSeconds);
        List<WeakReference<Context>> children = children(parent.context(), 100);

        timer.advanceTo(inTenSeconds);
        int kept = Reachability.survivors("03.3", children);

        assertThat(kept)
                .as("[03.3] the deadline passed, so the context has nothing more to reach, and its 100 children "
                    + "(which nothing else held) should be collectable, but %d were still reachable after garbage "
                    + "collection while it lived: does the timer's cancel take the same path as the cancel function "
                    + "(README 03.3)", kept)
                .isZero();
        Reference.reachabilityFence(parent);
    }

    private static List<WeakReference<Context>> children(Context parent, int count) {
        List<WeakReference<Context>> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            children.add(new WeakReference<>(Context.withCancel(parent).context()));
        }
        return children;
    }

    @Nested
    @DisplayName("when parent and child both have a deadline")
    class TwoDeadlines {

        @Test
        @DisplayName("a child asking later than its parent gets the parent's deadline and ends with it")
        void theEarlierParentDeadlineWins() {
            Cancellable parent = Context.withDeadline(root, inTenSeconds);
            Cancellable child = Context.withDeadline(parent.context(), inTenSeconds.plusSeconds(50));

            assertThat(child.context().deadline())
                    .as("[03.3] a child cannot outlive its parent: asking for 60 s under a 10 s parent, deadline() "
                        + "should be the parent's, but was %s (README 03.3)", child.context().deadline())
                    .contains(inTenSeconds);

            timer.advanceTo(inTenSeconds);

            assertThat(child.context().err())
                    .as("[03.3] the child should end with its parent's deadline with DEADLINE_EXCEEDED, but err() "
                        + "was %s (README 03.3)", child.context().err())
                    .isEqualTo(ContextError.DEADLINE_EXCEEDED);
        }

        @Test
        @DisplayName("a child asking earlier than its parent ends first and leaves the parent running")
        void theEarlierChildDeadlineWins() {
            Cancellable parent = Context.withDeadline(root, inTenSeconds);
            Instant inFiveSeconds = FakeTimer.START.plusSeconds(5);
            Cancellable child = Context.withDeadline(parent.context(), inFiveSeconds);

            assertThat(child.context().deadline())
                    .as("[03.3] the child asked for an earlier deadline than its parent's, so deadline() should be "
                        + "its own, but was %s (README 03.3)", child.context().deadline())
                    .contains(inFiveSeconds);

            timer.advanceTo(inFiveSeconds);

            assertThat(child.context().err())
                    .as("[03.3] the child's own, earlier deadline passed: expected DEADLINE_EXCEEDED, but err() was "
                        + "%s (README 03.3)", child.context().err())
                    .isEqualTo(ContextError.DEADLINE_EXCEEDED);
            assertThat(parent.context().err())
                    .as("[03.3] a child's deadline must not end its parent, but the parent's err() was %s "
                        + "(README 03.3)", parent.context().err())
                    .isNull();
            parent.cancel();
        }
    }

    @Nested
    @DisplayName("once done, the error never changes")
    class FirstErrorStays {

        @Test
        @DisplayName("a cancel before the deadline wins, and the deadline passing later changes nothing")
        void cancelBeforeTheDeadlineWins() {
            Cancellable child = Context.withDeadline(root, inTenSeconds);

            child.cancel();
            timer.advanceTo(inTenSeconds.plusSeconds(1));

            assertThat(child.context().err())
                    .as("[03.3] cancelled before its deadline, the context should stay CANCELED after the deadline "
                        + "passes, but err() was %s: only the first reason counts (README 03.3)",
                            child.context().err())
                    .isEqualTo(ContextError.CANCELED);
        }

        @Test
        @DisplayName("a cancel after the deadline leaves DEADLINE_EXCEEDED")
        void cancelAfterTheDeadlineChangesNothing() {
            Cancellable child = Context.withDeadline(root, inTenSeconds);

            timer.advanceTo(inTenSeconds);
            child.cancel();

            assertThat(child.context().err())
                    .as("[03.3] cancel() after the deadline passed must not overwrite DEADLINE_EXCEEDED, but err() "
                        + "was %s (README 03.3)", child.context().err())
                    .isEqualTo(ContextError.DEADLINE_EXCEEDED);
        }
    }

    @Nested
    @DisplayName("cancelling releases the timer")
    class ReleasesTheTimer {

        @Test
        @DisplayName("its own cancel() leaves no timer task pending")
        void ownCancelReleasesTheTimer() {
            Cancellable child = Context.withDeadline(root, inTenSeconds);
            assertThat(timer.outstanding())
                    .as("[03.3] a context with a deadline should schedule one task on the root's Timer, found %d "
                        + "(README 03.3)", timer.outstanding())
                    .isEqualTo(1);

            child.cancel();

            assertThat(timer.outstanding())
                    .as("[03.3] after cancel() no timer task should be left pending, but %d were: does cancel stop "
                        + "the scheduled task? Go's `defer cancel()` exists for this (README 03.3)",
                            timer.outstanding())
                    .isZero();
        }

        @Test
        @DisplayName("a cancel from its parent leaves no timer task pending either")
        void parentCancelReleasesTheTimer() {
            Cancellable parent = Context.withCancel(root);
            Context.withDeadline(parent.context(), inTenSeconds);
            Context.withTimeout(parent.context(), Duration.ofMinutes(1));

            parent.cancel();

            assertThat(timer.outstanding())
                    .as("[03.3] the parent's cancel reached two deadline children, so their timer tasks should be "
                        + "stopped too, but %d were pending: stop the timer wherever the context is cancelled, not "
                        + "only in its own cancel function (README 03.3)", timer.outstanding())
                    .isZero();
        }
    }
}
