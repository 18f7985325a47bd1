package workshop.context;

import workshop.support.NotSolvedYet;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Go's {@code context.Context} in Java: a deadline, a cancellation signal and request-scoped values, carried down a
 * tree of calls. Built in steps:
 * <ul>
 * <li>Exercise 03.1: Context: background
 * <li>Exercise 03.2: Context: withCancel
 * <li>Exercise 03.3: Context: deadlines
 * <li>Exercise 03.4: Context: the done signal
 * <li>Exercise 03.5: Context: values
 * <li>Exercise 03.6: Context: cause and afterFunc
 * <li>Exercise 03.7: Context: a tree cancelled from many threads
 * </ul>
 *
 * <pre>{@code
 * ctx := context.Background()                          // Context ctx = Context.background();
 * ctx, cancel := context.WithCancel(parent)            // Cancellable c = Context.withCancel(parent);
 * defer cancel()                                       // try (c) { ... }   or   c.cancel()
 * ctx, cancel := context.WithTimeout(parent, 2*time.Second) // Context.withTimeout(parent, Duration.ofSeconds(2))
 * select { case <-ctx.Done(): return ctx.Err() ... }   // ctx.awaitDone(), ctx.done(), ctx.err()
 * ctx = context.WithValue(ctx, key, v)                 // ctx = Context.withValue(ctx, key, v)
 * }</pre>
 *
 * <p>A context is immutable except for becoming done, once: from then on {@link #err()} returns the same non-null
 * {@link ContextError} for ever. A context is done when its own cancel function runs, when its deadline passes, or
 * when its parent becomes done, whichever comes first. Every method may be called from any thread, and works on a
 * tree of any depth: a chain of 100,000 nested contexts is cancelled, and its deepest context answers, without
 * exhausting the stack of the calling thread.
 *
 * <p>Memory consistency effects: actions in a thread prior to calling a cancel function happen-before actions
 * subsequent to observing, in another thread, that the context (or a descendant) is done through {@link #err()},
 * {@link #done()} or {@link #awaitDone()}.
 */
public final class Context {

    // TODO 03.1: what every context needs to hold, and what only some of them need

    /**
     * The root of every tree: never cancelled, no deadline, no values ({@code context.Background()}). Its
     * descendants read deadlines from {@link Timer#system()}.
     */
    public static Context background() {
        // TODO 03.1: a context that is never done
        throw new NotSolvedYet("03.1");
    }

    /**
     * A root like {@link #background()} whose descendants read their deadlines from {@code timer}: how a test
     * controls time.
     */
    public static Context background(Timer timer) {
        // TODO 03.1: a context that is never done, with the timer its descendants use
        throw new NotSolvedYet("03.1");
    }

    /**
     * Why this context is done ({@code ctx.Err()}): {@code null} while it is not done, then
     * {@link ContextError#CANCELED} or {@link ContextError#DEADLINE_EXCEEDED}, never changing again. Does not block.
     */
    public ContextError err() {
        // TODO 03.1: null until done; the first reason for ever after
        throw new NotSolvedYet("03.1");
    }

    /**
     * The instant at which this context will be done by itself ({@code ctx.Deadline()}): the earliest deadline on the
     * way to the root, or empty if there is none.
     */
    public Optional<Instant> deadline() {
        // TODO 03.1: no deadline yet (03.3 gives contexts one)
        throw new NotSolvedYet("03.1");
    }

    /**
     * A child of {@code parent} with a cancel function ({@code context.WithCancel}). The child is done when
     * {@code cancel} runs or when {@code parent} is done. Cancelling cancels every descendant before it returns
     * (a descendant that another thread is cancelling at the same moment is done, with its own subtree, when that
     * other cancel returns); cancelling twice does nothing more; cancelling never affects {@code parent}. A child of a parent that is
     * already done is born done, with the parent's error. A cancelled child no longer takes any room in its parent.
     */
    public static Cancellable withCancel(Context parent) {
        // TODO 03.2: a child that the parent's cancellation reaches, and a cancel that reaches the child's own children
        throw new NotSolvedYet("03.2");
    }

    /**
     * A child of {@code parent} that is done with {@link ContextError#DEADLINE_EXCEEDED} at {@code deadline}, as read
     * from the root's {@link Timer} ({@code context.WithDeadline}); or earlier, by {@code cancel} or by the parent.
     * If the parent's deadline is earlier, the child simply takes the parent's. A deadline already passed makes the
     * child born done with {@code DEADLINE_EXCEEDED}. Cancelling releases the timer.
     */
    public static Cancellable withDeadline(Context parent, Instant deadline) {
        // TODO 03.3: a cancellable child that the timer cancels with another error
        throw new NotSolvedYet("03.3");
    }

    /** {@code withDeadline(parent, now + timeout)}, with now read from the root's {@link Timer} ({@code context.WithTimeout}). */
    public static Cancellable withTimeout(Context parent, Duration timeout) {
        // TODO 03.3: a deadline relative to the timer's now
        throw new NotSolvedYet("03.3");
    }

    /**
     * The done signal ({@code ctx.Done()}): a stage that completes normally (with {@code null}) when this context
     * becomes done, and never for a context that cannot be cancelled. Callers cannot complete it: it is a view.
     * Calling it does not make the context hold anything more, however often a long-lived context is asked.
     *
     * <p>What a caller chains to the stage ({@code thenRun}, {@code toCompletableFuture()}, an {@code anyOf} over
     * it) is kept by the context until the context is done. To wait for "done or a reply" again and again on a
     * long-lived context, derive a child per wait and cancel it when the wait is over, or register an
     * {@link #afterFunc} and {@link AfterFunc#stop() stop} it: either leaves nothing behind.
     */
    public CompletionStage<Void> done() {
        // TODO 03.4: a signal that many waiters can share, and that nobody but the context can complete
        throw new NotSolvedYet("03.4");
    }

    /**
     * Blocks until this context is done ({@code <-ctx.Done()}) and returns {@link #err()}.
     *
     * @throws InterruptedException if the waiting thread is interrupted; the context is unaffected
     */
    public ContextError awaitDone() throws InterruptedException {
        // TODO 03.4: park until done
        throw new NotSolvedYet("03.4");
    }

    /**
     * Blocks until this context is done or {@code timeout} has passed on the system clock, whichever comes first.
     *
     * @return whether the context is done
     * @throws InterruptedException if the waiting thread is interrupted; the context is unaffected
     */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        // TODO 03.4: park until done, or until the time is up
        throw new NotSolvedYet("03.4");
    }

    /**
     * A child of {@code parent} that carries {@code value} under {@code key} ({@code context.WithValue}); it is done
     * exactly when its parent is done, and has its parent's deadline.
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public static <T> Context withValue(Context parent, Key<T> key, T value) {
        // TODO 03.5: a link in the chain that knows one key
        throw new NotSolvedYet("03.5");
    }

    /**
     * The value bound to {@code key} in this context or its nearest ancestor that binds it ({@code ctx.Value(key)}),
     * or empty.
     */
    public <T> Optional<T> value(Key<T> key) {
        // TODO 03.5: walk up the chain; the nearest binding wins
        throw new NotSolvedYet("03.5");
    }

    /**
     * A child of {@code parent} whose cancel function records a cause ({@code context.WithCancelCause}).
     */
    public static CancellableWithCause withCancelCause(Context parent) {
        // TODO 03.6: cancel with a reason
        throw new NotSolvedYet("03.6");
    }

    /**
     * Why this context is done, in more detail than {@link #err()} ({@code context.Cause(ctx)}): {@code null} while
     * it is not done; the cause given to the cancel that made it done (its own or an ancestor's); otherwise
     * {@code err().exception()}.
     */
    public Throwable cause() {
        // TODO 03.6: the cause travels down the tree with the cancellation
        throw new NotSolvedYet("03.6");
    }

    /**
     * Arranges for {@code action} to run once, on a thread of its own, after this context is done
     * ({@code context.AfterFunc}); at once (on its own thread) if it is done already. Never runs it on the caller's
     * thread, nor on the thread that cancels.
     *
     * @return the stop function: it prevents the run if the action has not started yet, and says whether it did
     */
    public AfterFunc afterFunc(Runnable action) {
        // TODO 03.6: run once when done, unless stopped first
        throw new NotSolvedYet("03.6");
    }
}
