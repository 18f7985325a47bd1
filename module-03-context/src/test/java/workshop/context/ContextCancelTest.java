package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("03.2")
@DisplayName("03.2 Context: withCancel")
class ContextCancelTest {

    @Test
    @DisplayName("a new child is not done; cancel() makes it done with CANCELED")
    void cancelMakesItDone() {
        Cancellable child = Context.withCancel(Context.background());

        assertThat(child.context().err())
                .as("[03.2] a child nobody cancelled should not be done, but err() was %s (README 03.2)",
                        child.context().err())
                .isNull();

        child.cancel();

        assertThat(child.context().err())
                .as("[03.2] expected CANCELED right after cancel() returned, but err() was %s: does the cancel "
                    + "function record the error? (README 03.2)", child.context().err())
                .isEqualTo(ContextError.CANCELED);
    }

    @Test
    @DisplayName("cancel is idempotent: a second cancel() or close() changes nothing and does not throw")
    void cancelIsIdempotent() {
        Cancellable child = Context.withCancel(Context.background());

        child.cancel();
        child.cancel();
        child.close();

        assertThat(child.context().err())
                .as("[03.2] cancelling three times should leave CANCELED, but err() was %s (README 03.2)",
                        child.context().err())
                .isEqualTo(ContextError.CANCELED);
    }

    @Test
    @DisplayName("cancelling a context cancels every descendant, three levels deep, before cancel() returns")
    void cancelReachesEveryDescendantBeforeReturning() {
        Cancellable root = Context.withCancel(Context.background());
        List<Context> descendants = new ArrayList<>();
        List<Context> level = List.of(root.context());
        for (int depth = 0; depth < 3; depth++) {
            List<Context> next = new ArrayList<>();
            for (Context parent : level) {
                for (int i = 0; i < 10; i++) {
                    next.add(Context.withCancel(parent).context());
                }
            }
            descendants.addAll(next);
            level = next;
        }

        root.cancel();

        long notDone = descendants.stream().filter(c -> c.err() != ContextError.CANCELED).count();
        assertThat(notDone)
                .as("[03.2] right after cancel() returned, all 1110 descendants should be CANCELED, but %d were "
                    + "not: does cancel reach the children's children, before it returns? (README 03.2)", notDone)
                .isZero();
    }

    @Test
    @DisplayName("cancelling a child touches neither its parent nor its siblings")
    void cancellingAChildLeavesTheParentAlone() {
        Cancellable parent = Context.withCancel(Context.background());
        Cancellable child = Context.withCancel(parent.context());
        Cancellable sibling = Context.withCancel(parent.context());

        child.cancel();

        assertThat(parent.context().err())
                .as("[03.2] cancelling a child must not cancel its parent, but the parent's err() was %s: "
                    + "cancellation flows down the tree, never up (README 03.2)", parent.context().err())
                .isNull();
        assertThat(sibling.context().err())
                .as("[03.2] cancelling a child must not cancel its sibling, but the sibling's err() was %s "
                    + "(README 03.2)", sibling.context().err())
                .isNull();
        assertThat(parent.context().children())
                .as("[03.2] the parent should still hold its one live child (the sibling), but children() was %d: "
                    + "does children() count the children that cancellation must still reach? (README 03.2)",
                        parent.context().children())
                .isEqualTo(1);
    }

    @Nested
    @DisplayName("when the parent is already cancelled")
    class ParentAlreadyCancelled {

        @Test
        @DisplayName("a new child is born done with CANCELED, and the parent does not keep it")
        void childIsBornDone() {
            Cancellable parent = Context.withCancel(Context.background());
            parent.cancel();

            Cancellable child = Context.withCancel(parent.context());

            assertThat(child.context().err())
                    .as("[03.2] a child of a cancelled parent should be born CANCELED, but err() was %s: does "
                        + "withCancel look at the parent's state? (README 03.2)", child.context().err())
                    .isEqualTo(ContextError.CANCELED);
            assertThat(parent.context().children())
                    .as("[03.2] a cancelled parent has nothing left to cancel, so it should keep no child, but "
                        + "children() was %d (README 03.2)", parent.context().children())
                    .isZero();
        }
    }

    @Nested
    @DisplayName("when children come and go")
    class ChildrenComeAndGo {

        @Test
        @DisplayName("the parent holds each live child once")
        void parentCountsLiveChildren() {
            Cancellable parent = Context.withCancel(Context.background());

            for (int i = 0; i < 3; i++) {
                Context.withCancel(parent.context());
            }
            Context.withCancel(Context.withCancel(parent.context()).context()); // a grandchild is not a child

            assertThat(parent.context().children())
                    .as("[03.2] a parent with 4 live children (and a grandchild) should hold 4, but children() was "
                        + "%d: does withCancel register the child with its parent? (README 03.2)",
                            parent.context().children())
                    .isEqualTo(4);
        }

        @Test
        @DisplayName("a cancelled child is removed from its parent: 10,000 short-lived children leave nothing")
        void cancelledChildrenAreRemoved() {
            Cancellable parent = Context.withCancel(Context.background());

            for (int i = 0; i < 10_000; i++) {
                try (Cancellable shortLived = Context.withCancel(parent.context())) {
                    assertThat(shortLived.context().err()).isNull();
                }
            }

            assertThat(parent.context().children())
                    .as("[03.2] 10,000 children were created and cancelled, so the parent should hold none, but "
                        + "children() was %d: does a child's cancel remove it from its parent? Otherwise every "
                        + "request leaks memory in a long-lived context (README 03.2)", parent.context().children())
                    .isZero();
            assertThat(parent.context().err())
                    .as("[03.2] the parent must stay alive while its children come and go (README 03.2)")
                    .isNull();
        }

        @Test
        @DisplayName("a cancelled parent lets go of all its children")
        void cancelledParentHoldsNothing() {
            Cancellable parent = Context.withCancel(Context.background());
            for (int i = 0; i < 100; i++) {
                Context.withCancel(parent.context());
            }

            parent.cancel();

            assertThat(parent.context().children())
                    .as("[03.2] once cancelled, a parent has nothing more to reach, so children() should be 0, but "
                        + "was %d (README 03.2)", parent.context().children())
                    .isZero();
        }
    }
}
