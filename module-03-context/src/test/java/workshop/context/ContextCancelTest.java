package workshop.context;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

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

        parent.cancel();

        assertThat(sibling.context().err())
                .as("[03.2] the parent was cancelled after one of its children, so its cancel should still reach the "
                    + "other child, but the sibling's err() was %s: did cancelling one child make the parent forget "
                    + "the others? (README 03.2)", sibling.context().err())
                .isEqualTo(ContextError.CANCELED);
    }

    @Test
    @DisplayName("a thread that reads err() in a loop, without any lock, sees every cancel of another thread")
    void errIsVisibleToAThreadThatSpinsOnIt() throws InterruptedException {
        Spinner spinner = new Spinner();
        Background<String> spinning = Background.call("[03.2] a thread spinning on err()", spinner::spin);
        try {
            while (!spinning.isDone()) {
                Cancellable watched = spinner.awaitSpinning(spinning);
                if (watched != null) {
                    watched.cancel();
                }
            }
            String seen = awaitWatching("03.2", "a thread that read err() in a loop did not notice the cancel that "
                    + "another thread made: is the error written and read in a way that publishes it (volatile, or "
                    + "under the lock)?", spinning);

            assertThat(seen)
                    .as("[03.2] a thread read err() in a loop while another thread cancelled the context, again and "
                        + "again; it should have seen every cancel, but it %s. Without volatile (or a lock), the JIT "
                        + "compiler may read a field once and never again: make the error volatile (README 03.2)",
                            seen)
                    .isEqualTo("saw every cancel");
        } finally {
            stop(spinning);
        }
    }

    /**
     * A thread that reads err() in a tight loop, with nothing else in it, on one new context after another, while the
     * test cancels each. The loop gets hot and the JIT compiles it within a few rounds; a compiled loop that reads a
     * plain field (neither volatile nor under a lock) may read it once only, and never see the cancel (or end at once
     * with nothing seen).
     */
    private static final class Spinner {
        static final int ATTEMPTS = 2_000;
        static final java.time.Duration TIME = java.time.Duration.ofSeconds(1); // the JIT takes its time when busy
        static final long MAX_READS = 3_000_000_000L; // seconds of reading: the test cancels long before

        final java.util.concurrent.atomic.AtomicReference<Cancellable> target =
                new java.util.concurrent.atomic.AtomicReference<>();

        String spin() {
            Cancellable idle = Context.withCancel(Context.background());
            for (int i = 0; i < 20_000; i++) {
                spinOnErr(idle.context(), 100); // many calls: the JIT compiles the method early
            }
            long until = System.nanoTime() + TIME.toNanos();
            for (int attempt = 0; attempt < ATTEMPTS && System.nanoTime() < until; attempt++) {
                Cancellable watched = Context.withCancel(Context.background());
                target.set(watched);
                if (!spinOnErr(watched.context(), MAX_READS)) {
                    return "never saw the cancel in attempt " + (attempt + 1) + ": its loop ended without seeing "
                           + "err() change" + (watched.context().err() == null ? " (before the cancel came)" : "");
                }
            }
            return "saw every cancel";
        }

        /** Reads err() until it is set or {@code maxReads} reads have been made; nothing else in the loop. */
        private static boolean spinOnErr(Context context, long maxReads) {
            for (long i = 0; i < maxReads; i++) {
                if (context.err() != null) {
                    return true;
                }
            }
            return false;
        }

        /** Waits until the spinner reads err() of a new context, and returns its cancel; null if the spinner ended. */
        Cancellable awaitSpinning(Background<String> spinning) {
            org.awaitility.Awaitility.await("[03.2] the spinner to read err() in its loop").atMost(PATIENCE)
                    .pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(1)).until(() -> {
                        spinning.rethrowIfFailed();
                        if (spinning.isDone()) {
                            return true;
                        }
                        Cancellable watched = target.get();
                        return watched != null && watched.context().err() == null && inSpinLoop(spinning.thread());
                    });
            return spinning.isDone() ? null : target.getAndSet(null);
        }

        private static boolean inSpinLoop(Thread thread) {
            for (StackTraceElement frame : thread.getStackTrace()) {
                if (frame.getMethodName().equals("spinOnErr")) {
                    return true;
                }
            }
            return false;
        }
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
        }

        @Test
        @DisplayName("the parent does not keep the children born done: 1,000 of them can be collected")
        void parentDoesNotKeepChildrenBornDone() {
            Cancellable parent = Context.withCancel(Context.background());
            parent.cancel();

            List<WeakReference<Context>> children = childrenBornDone(parent.context(), 1_000);
            int kept = Reachability.survivors("03.2", children);

            assertThat(kept)
                    .as("[03.2] a cancelled parent has nothing left to cancel, so it should keep none of the 1,000 "
                        + "children born done below it, but %d were still reachable after garbage collection while "
                        + "the parent lived: a child of a done parent is cancelled at once and never added (README "
                        + "03.2)", kept)
                    .isZero();
            Reference.reachabilityFence(parent);
        }

        private static List<WeakReference<Context>> childrenBornDone(Context parent, int count) {
            List<WeakReference<Context>> children = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                children.add(new WeakReference<>(Context.withCancel(parent).context()));
            }
            return children;
        }
    }

    @Nested
    @DisplayName("when children come and go")
    class ChildrenComeAndGo {

        @Test
        @DisplayName("a cancelled child leaves its parent: 10,000 short-lived children can all be collected while "
                     + "the parent lives")
        void cancelledChildrenAreRemoved() {
            Cancellable parent = Context.withCancel(Context.background());

            List<WeakReference<Context>> shortLived = shortLivedChildren(parent.context(), 10_000);
            int kept = Reachability.survivors("03.2", shortLived);

            assertThat(kept)
                    .as("[03.2] 10,000 children of one long-lived parent were created and cancelled, so nothing "
                        + "should keep them, but %d were still reachable after garbage collection while the parent "
                        + "lived: does a child's cancel remove it from its parent's children? Otherwise every "
                        + "request leaks memory in a long-lived context (README 03.2)", kept)
                    .isZero();
            assertThat(parent.context().err())
                    .as("[03.2] the parent must stay alive while its children come and go (README 03.2)")
                    .isNull();
            Reference.reachabilityFence(parent);
        }

        private static List<WeakReference<Context>> shortLivedChildren(Context parent, int count) {
            List<WeakReference<Context>> children = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try (Cancellable shortLived = Context.withCancel(parent)) {
                    children.add(new WeakReference<>(shortLived.context()));
                }
            }
            return children;
        }

        @Test
        @DisplayName("a cancelled parent lets go of all its children")
        void cancelledParentHoldsNothing() {
            Cancellable parent = Context.withCancel(Context.background());
            List<WeakReference<Context>> children = liveChildren(parent.context(), 100);

            parent.cancel();
            int kept = Reachability.survivors("03.2", children);

            assertThat(kept)
                    .as("[03.2] once cancelled, a parent has nothing more to reach, so its 100 children (which "
                        + "nothing else held) should be collectable, but %d were still reachable after garbage "
                        + "collection while the parent lived: let go of the children when the cancellation has taken "
                        + "them (README 03.2)", kept)
                    .isZero();
            Reference.reachabilityFence(parent);
        }

        private static List<WeakReference<Context>> liveChildren(Context parent, int count) {
            List<WeakReference<Context>> children = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                children.add(new WeakReference<>(Context.withCancel(parent).context()));
            }
            return children;
        }
    }

    @Nested
    @DisplayName("on a deep tree")
    class DeepTree {

        private static final int DEPTH = 100_000;

        @Test
        @DisplayName("cancelling the top of a chain of 100,000 nested children reaches the bottom without "
                     + "exhausting the stack")
        void cancelsADeepChain() throws InterruptedException {
            Cancellable top = Context.withCancel(Context.background());
            Context bottom = top.context();
            for (int i = 0; i < DEPTH; i++) {
                bottom = Context.withCancel(bottom).context();
            }

            Background<StackOverflowError> cancelling = Background.call("[03.2] cancel() of the top of a chain of "
                    + "100,000 nested contexts", () -> {
                        try {
                            top.cancel();
                            return null;
                        } catch (StackOverflowError overflow) {
                            return overflow;
                        }
                    });
            StackOverflowError overflow = cancelling.await(PATIENCE);

            assertThat(overflow)
                    .as("[03.2] cancel() of the top of a chain of 100,000 nested contexts threw StackOverflowError: a "
                        + "method call per level exhausts a Java thread's stack, whose size is fixed (a goroutine's "
                        + "stack grows). Walk the descendants with a loop and a list of contexts still to cancel "
                        + "(README 03.2)")
                    .isNull();
            assertThat(bottom.err())
                    .as("[03.2] the context at the bottom of the chain should be CANCELED, but err() was %s "
                        + "(README 03.2)", bottom.err())
                    .isEqualTo(ContextError.CANCELED);
        }
    }
}
