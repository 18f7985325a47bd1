package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static workshop.support.testing.Parked.PATIENCE;

@Tag("03.5")
@DisplayName("03.5 Context: values")
class ContextValueTest {

    private static final Key<String> USER = Key.named("user");
    private static final Key<Integer> ATTEMPT = Key.named("attempt");

    @Test
    @DisplayName("a value is found in the context that binds it and in every descendant")
    void lookupWalksUpTheChain() {
        Context withUser = Context.withValue(Context.background(), USER, "ada");
        Context below = Context.withValue(Context.withValue(withUser, ATTEMPT, 1), Key.named("other"), "x");

        assertThat(withUser.value(USER)).as("[03.5] the context that binds a key should find it (README 03.5)")
                .contains("ada");
        assertThat(below.value(USER))
                .as("[03.5] a value bound two links up should be found by walking up the chain, but value() was "
                    + "%s (README 03.5)", below.value(USER))
                .contains("ada");
        assertThat(below.value(ATTEMPT)).as("[03.5] a value bound one link up should be found (README 03.5)")
                .contains(1);
    }

    @Test
    @DisplayName("the nearest binding wins and the outer one stays for the outer context")
    void nearestBindingWins() {
        Context outer = Context.withValue(Context.background(), USER, "ada");
        Context inner = Context.withValue(Context.withValue(outer, ATTEMPT, 2), USER, "grace");

        assertThat(inner.value(USER))
                .as("[03.5] the inner binding should shadow the outer one, but value() was %s: does the lookup "
                    + "start at this context and stop at the first match? (README 03.5)", inner.value(USER))
                .contains("grace");
        assertThat(outer.value(USER))
                .as("[03.5] binding a key below must not change what the outer context sees (README 03.5)")
                .contains("ada");
    }

    @Test
    @DisplayName("keys match by identity: two keys with the same name do not collide")
    void keysMatchByIdentity() {
        Key<String> theirs = Key.named("user");
        Context context = Context.withValue(Context.background(), USER, "ada");

        assertThat(context.value(theirs))
                .as("[03.5] another key named \"user\" must not find our value, but value() was %s: compare keys "
                    + "with ==, not by name or equals of the name (README 03.5)", context.value(theirs))
                .isEmpty();
    }

    @Test
    @DisplayName("a key bound nowhere gives empty, at the root too")
    void missingIsEmpty() {
        Context context = Context.withValue(Context.background(), USER, "ada");

        assertThat(context.value(ATTEMPT)).as("[03.5] an unbound key should give empty (README 03.5)").isEmpty();
        assertThat(Context.background().value(USER))
                .as("[03.5] background() binds nothing, so value() should be empty (README 03.5)").isEmpty();
    }

    @Test
    @DisplayName("values are found through withCancel and withDeadline links")
    void valuesPassThroughOtherLinks() {
        FakeTimer timer = new FakeTimer();
        Context withUser = Context.withValue(Context.background(timer), USER, "ada");
        Cancellable cancellable = Context.withCancel(withUser);
        Cancellable timed = Context.withDeadline(cancellable.context(), FakeTimer.START.plusSeconds(10));

        assertThat(timed.context().value(USER))
                .as("[03.5] a value bound above a withCancel and a withDeadline link should be found below them, "
                    + "but value() was %s: does every kind of context know its parent? (README 03.5)",
                        timed.context().value(USER))
                .contains("ada");
        cancellable.cancel();
    }

    @Test
    @DisplayName("a null key or value is rejected with NullPointerException")
    void nullsAreRejected() {
        Context root = Context.background();

        assertThat(catchThrowable(() -> Context.withValue(root, null, "x")))
                .as("[03.5] withValue with a null key should throw NullPointerException (README 03.5)")
                .isInstanceOf(NullPointerException.class);
        assertThat(catchThrowable(() -> Context.withValue(root, USER, null)))
                .as("[03.5] withValue with a null value should throw NullPointerException (README 03.5)")
                .isInstanceOf(NullPointerException.class);
    }

    @Nested
    @DisplayName("a value context is done exactly when its parent is")
    class DoneWithItsParent {

        @Test
        @DisplayName("not done while the parent runs, CANCELED when it is cancelled, with the parent's deadline")
        void followsItsParent() {
            FakeTimer timer = new FakeTimer();
            Instant deadline = FakeTimer.START.plusSeconds(10);
            Cancellable parent = Context.withDeadline(Context.background(timer), deadline);
            Context withUser = Context.withValue(parent.context(), USER, "ada");

            assertThat(withUser.err()).as("[03.5] a value context of a running parent should not be done, but "
                                          + "err() was %s (README 03.5)", withUser.err()).isNull();
            assertThat(withUser.deadline())
                    .as("[03.5] a value context should report its parent's deadline, but deadline() was %s "
                        + "(README 03.5)", withUser.deadline())
                    .contains(deadline);

            parent.cancel();

            assertThat(withUser.err())
                    .as("[03.5] the parent was cancelled, so its value context should be CANCELED too, but err() "
                        + "was %s: a value context has no state of its own, it asks its parent (README 03.5)",
                            withUser.err())
                    .isEqualTo(ContextError.CANCELED);
        }

        @Test
        @DisplayName("a child of a value context is cancelled through the value context's parent")
        void cancellationPassesThroughTheValueLink() {
            Cancellable parent = Context.withCancel(Context.background());
            Context withUser = Context.withValue(parent.context(), USER, "ada");
            Cancellable child = Context.withCancel(withUser);
            Cancellable grandchild = Context.withCancel(Context.withValue(child.context(), ATTEMPT, 1));

            parent.cancel();

            assertThat(child.context().err())
                    .as("[03.5] cancelling the parent should reach a withCancel child of its value context before "
                        + "cancel() returns, but err() was %s: does the child register with the nearest ancestor "
                        + "that can be cancelled, through value links? (README 03.5)", child.context().err())
                    .isEqualTo(ContextError.CANCELED);
            assertThat(grandchild.context().err())
                    .as("[03.5] and the grandchild below a second value link too, but err() was %s (README 03.5)",
                            grandchild.context().err())
                    .isEqualTo(ContextError.CANCELED);
        }

        @Test
        @DisplayName("a child of a value context of a cancelled parent is born done")
        void bornDoneThroughTheValueLink() {
            Cancellable parent = Context.withCancel(Context.background());
            parent.cancel();

            Cancellable child = Context.withCancel(Context.withValue(parent.context(), USER, "ada"));

            assertThat(child.context().err())
                    .as("[03.5] the value context's parent is cancelled, so a new child should be born CANCELED, "
                        + "but err() was %s (README 03.5)", child.context().err())
                    .isEqualTo(ContextError.CANCELED);
        }

        @Test
        @DisplayName("a cancelled child of a value context is removed from the context it registered with")
        void childOfValueContextIsRemoved() {
            Cancellable parent = Context.withCancel(Context.background());
            Context withUser = Context.withValue(parent.context(), USER, "ada");

            List<WeakReference<Context>> cancelled = cancelledChildren(withUser, 1_000);
            int kept = Reachability.survivors("03.5", cancelled);

            assertThat(kept)
                    .as("[03.5] 1,000 children of a value context were created and cancelled, so nothing should keep "
                        + "them, but %d were still reachable after garbage collection while their parents lived: "
                        + "does a child's cancel remove it from the context it registered with, past the value link? "
                        + "(README 03.5)", kept)
                    .isZero();
            Reference.reachabilityFence(withUser);
        }

        private static List<WeakReference<Context>> cancelledChildren(Context parent, int count) {
            List<WeakReference<Context>> children = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Cancellable child = Context.withCancel(parent);
                children.add(new WeakReference<>(child.context()));
                child.cancel();
            }
            return children;
        }
    }

    @Test
    @DisplayName("a context below 100,000 value links answers err(), value() and done(), and a child of it hears "
                 + "the cancel, without exhausting the stack")
    void deepChainOfValues() throws InterruptedException {
        Cancellable top = Context.withCancel(Context.background());
        Context bottom = Context.withValue(top.context(), USER, "ada");
        for (int i = 0; i < 100_000; i++) {
            bottom = Context.withValue(bottom, ATTEMPT, i);
        }
        Context deepest = bottom;

        Background<String> asking = Background.call("[03.5] err(), value(), done() below 100,000 value links", () -> {
            String step = "err() before the cancel";
            try {
                ContextError before = deepest.err();
                step = "value() of the key bound at the top";
                Optional<String> user = deepest.value(USER);
                step = "withCancel() below the chain";
                Cancellable child = Context.withCancel(deepest);
                step = "done()";
                CompletableFuture<Void> done = deepest.done().toCompletableFuture();
                top.cancel();
                step = "err() after the cancel";
                ContextError after = deepest.err();
                return "err " + before + " then " + after + ", value " + user.orElse("none") + ", done "
                       + done.isDone() + ", child " + child.context().err();
            } catch (StackOverflowError overflow) {
                return "StackOverflowError in " + step;
            }
        });
        String answers = asking.await(PATIENCE);

        assertThat(answers)
                .as("[03.5] a context below 100,000 value links should answer like its parent does, but it gave: %s. "
                    + "A call per link exhausts a Java thread's stack, whose size is fixed (a goroutine's stack "
                    + "grows): walk up the chain with a loop (README 03.5)", answers)
                .isEqualTo("err null then context canceled, value ada, done true, child context canceled");
    }
}
