// Wrong answer for 03.2: the cascade recurses, one call per level, and a deep chain overflows the stack
package workshop.context;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>A context is immutable except for becoming done, once: from then on {@link #err()} returns the same non-null
 * {@link ContextError} for ever. A context is done when its own cancel function runs, when its deadline passes, or
 * when its parent becomes done, whichever comes first. Every method may be called from any thread, and works on a
 * tree of any depth: a chain of 100,000 nested contexts is cancelled, and its deepest context answers, without
 * exhausting the stack of the calling thread.
 *
 * <p>Memory consistency effects: actions in a thread prior to calling a cancel function happen-before actions
 * subsequent to observing, in another thread, that the context (or a descendant) is done through {@link #err()},
 * {@link #done()} or {@link #awaitDone()}.
 *
 * <p>Reference solution, after Go's context.go: three kinds of node share this class. A root (background) is never
 * done. A cancellable node (withCancel, withDeadline, afterFunc's watcher) owns a lock, its error, its done signal
 * and the set of children its cancellation must reach. A value node knows one key and asks its parent for the rest.
 */
public final class Context {

    /** What awaitDone waits on when nothing can ever cancel the context: nobody ever completes it. */
    private static final CompletableFuture<Void> NEVER = new CompletableFuture<>();

    private final Context parent;              // null for a root
    private final Timer timer;                 // the root's, shared by the whole tree
    private final Optional<Instant> deadline;  // the earliest on the way to the root
    private final Key<?> key;                  // a value node: key != null
    private final Object value;
    private final boolean cancellable;
    private final Runnable onDone;             // afterFunc's watcher: what to start when done; null otherwise

    // The state of a cancellable node, guarded by lock. err is volatile so that err() need not lock; cause is
    // written before err, so a reader that sees err sees cause.
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ContextError err;
    private Throwable cause;
    private CompletableFuture<Void> doneSignal;   // created on first demand, as Go's done channel
    private CompletionStage<Void> doneView;       // its read-only view, made on the first done(): one per context
    private Set<Context> children = new HashSet<>(); // null once cancelled: nothing more to reach
    private Timer.Scheduled alarm;

    private Context(Context parent, Timer timer, Optional<Instant> deadline, Key<?> key, Object value,
                    boolean cancellable, Runnable onDone) {
        this.parent = parent;
        this.timer = timer;
        this.deadline = deadline;
        this.key = key;
        this.value = value;
        this.cancellable = cancellable;
        this.onDone = onDone;
    }

    /**
     * The root of every tree: never cancelled, no deadline, no values ({@code context.Background()}). Its
     * descendants read deadlines from {@link Timer#system()}.
     */
    public static Context background() {
        return background(Timer.system());
    }

    /**
     * A root like {@link #background()} whose descendants read their deadlines from {@code timer}: how a test
     * controls time.
     */
    public static Context background(Timer timer) {
        return new Context(null, Objects.requireNonNull(timer, "timer"), Optional.empty(), null, null, false, null);
    }

    /**
     * Why this context is done ({@code ctx.Err()}): {@code null} while it is not done, then
     * {@link ContextError#CANCELED} or {@link ContextError#DEADLINE_EXCEEDED}, never changing again. Does not block.
     */
    public ContextError err() {
        Context owner = nearestCancellable(); // a loop, not a call per value link: chains may be long
        return owner == null ? null : owner.err;
    }

    /**
     * The instant at which this context will be done by itself ({@code ctx.Deadline()}): the earliest deadline on the
     * way to the root, or empty if there is none.
     */
    public Optional<Instant> deadline() {
        return deadline;
    }

    /**
     * A child of {@code parent} with a cancel function ({@code context.WithCancel}). The child is done when
     * {@code cancel} runs or when {@code parent} is done. Cancelling cancels every descendant before it returns
     * (a descendant that another thread is cancelling at the same moment is done, with its own subtree, when that
     * other cancel returns); cancelling twice does nothing more; cancelling never affects {@code parent}. A child of a parent that is
     * already done is born done, with the parent's error. A cancelled child no longer takes any room in its parent.
     */
    public static Cancellable withCancel(Context parent) {
        Context child = newCancellable(parent, parent.deadline, null);
        return new Cancellable(child, () -> child.cancel(true, ContextError.CANCELED, null));
    }

    /**
     * A child of {@code parent} that is done with {@link ContextError#DEADLINE_EXCEEDED} at {@code deadline}, as read
     * from the root's {@link Timer} ({@code context.WithDeadline}); or earlier, by {@code cancel} or by the parent.
     * If the parent's deadline is earlier, the child simply takes the parent's. A deadline already passed makes the
     * child born done with {@code DEADLINE_EXCEEDED}. Cancelling releases the timer.
     */
    public static Cancellable withDeadline(Context parent, Instant deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (parent.deadline.isPresent() && !parent.deadline.get().isAfter(deadline)) {
            return withCancel(parent); // the parent ends first anyway
        }
        Context child = newCancellable(parent, Optional.of(deadline), null);
        Cancellable cancellable = new Cancellable(child, () -> child.cancel(true, ContextError.CANCELED, null));
        if (!child.timer.now().isBefore(deadline)) {
            child.cancel(true, ContextError.DEADLINE_EXCEEDED, null); // born late
            return cancellable;
        }
        child.lock.lock();
        try {
            if (child.err == null) { // the parent may have cancelled it already
                child.alarm = child.timer.schedule(deadline,
                        () -> child.cancel(true, ContextError.DEADLINE_EXCEEDED, null));
            }
        } finally {
            child.lock.unlock();
        }
        return cancellable;
    }

    /** {@code withDeadline(parent, now + timeout)}, with now read from the root's {@link Timer} ({@code context.WithTimeout}). */
    public static Cancellable withTimeout(Context parent, Duration timeout) {
        return withDeadline(parent, parent.timer.now().plus(timeout));
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
        Context owner = nearestCancellable();
        if (owner == null) {
            // nothing completes it; a fresh stage per call, so that what callers chain to it is theirs to drop
            return new CompletableFuture<Void>().minimalCompletionStage();
        }
        owner.lock.lock();
        try {
            owner.ensureSignal();
            if (owner.doneView == null) { // the same view every time: each new one would stay on the signal
                owner.doneView = owner.doneSignal.minimalCompletionStage();
            }
            return owner.doneView;
        } finally {
            owner.lock.unlock();
        }
    }

    /**
     * Blocks until this context is done ({@code <-ctx.Done()}) and returns {@link #err()}.
     *
     * @throws InterruptedException if the waiting thread is interrupted; the context is unaffected
     */
    public ContextError awaitDone() throws InterruptedException {
        try {
            signal().get();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible); // only ever completed normally
        }
        return err();
    }

    /**
     * Blocks until this context is done or {@code timeout} has passed on the system clock, whichever comes first.
     *
     * @return whether the context is done
     * @throws InterruptedException if the waiting thread is interrupted; the context is unaffected
     */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        try {
            signal().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException notYet) {
            return err() != null;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * A child of {@code parent} that carries {@code value} under {@code key} ({@code context.WithValue}); it is done
     * exactly when its parent is done, and has its parent's deadline.
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public static <T> Context withValue(Context parent, Key<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return new Context(parent, parent.timer, parent.deadline, key, value, false, null);
    }

    /**
     * The value bound to {@code key} in this context or its nearest ancestor that binds it ({@code ctx.Value(key)}),
     * or empty.
     */
    public <T> Optional<T> value(Key<T> key) {
        for (Context c = this; c != null; c = c.parent) {
            if (c.key == key) {
                @SuppressWarnings("unchecked") // withValue bound a T to a Key<T>
                T found = (T) c.value;
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    /**
     * A child of {@code parent} whose cancel function records a cause ({@code context.WithCancelCause}).
     */
    public static CancellableWithCause withCancelCause(Context parent) {
        Context child = newCancellable(parent, parent.deadline, null);
        return new CancellableWithCause(child, why -> child.cancel(true, ContextError.CANCELED, why));
    }

    /**
     * Why this context is done, in more detail than {@link #err()} ({@code context.Cause(ctx)}): {@code null} while
     * it is not done; the cause given to the cancel that made it done (its own or an ancestor's); otherwise
     * {@code err().exception()}.
     */
    public Throwable cause() {
        Context owner = nearestCancellable();
        if (owner == null) {
            return null;
        }
        return owner.err == null ? null : owner.cause; // err is read first: it publishes cause
    }

    /**
     * Arranges for {@code action} to run once, on a thread of its own, after this context is done
     * ({@code context.AfterFunc}); at once (on its own thread) if it is done already. Never runs it on the caller's
     * thread, nor on the thread that cancels.
     *
     * @return the stop function: it prevents the run if the action has not started yet, and says whether it did
     */
    public AfterFunc afterFunc(Runnable action) {
        Objects.requireNonNull(action, "action");
        AtomicBoolean claimed = new AtomicBoolean(); // whoever claims first, run or stop, decides
        Runnable start = () -> {
            if (claimed.compareAndSet(false, true)) {
                Thread.ofVirtual().name("context-afterfunc").start(action);
            }
        };
        // a watcher child: the parent's cancellation reaches it like any child, and it starts the action
        Context watcher = newCancellable(this, deadline, start);
        return () -> {
            boolean prevented = claimed.compareAndSet(false, true);
            if (prevented) {
                watcher.cancel(true, ContextError.CANCELED, null); // leaves the parent's children
            }
            return prevented;
        };
    }

    /** A cancellable child, registered where its parent's cancellation will find it (Go's propagateCancel). */
    private static Context newCancellable(Context parent, Optional<Instant> deadline, Runnable onDone) {
        Context child = new Context(parent, parent.timer, deadline, null, null, true, onDone);
        Context owner = parent.nearestCancellable();
        if (owner == null) {
            return child; // a root above: nothing will ever cancel it from there
        }
        ContextError ownerErr;
        Throwable ownerCause;
        owner.lock.lock();
        try {
            ownerErr = owner.err;
            ownerCause = owner.cause;
            if (ownerErr == null) {
                owner.children.add(child);
                return child;
            }
        } finally {
            owner.lock.unlock();
        }
        child.cancel(false, ownerErr, ownerCause); // born done, and never kept by the parent
        return child;
    }

    /** This node or the nearest ancestor that can be cancelled: value nodes pass cancellation through. */
    private Context nearestCancellable() {
        Context c = this;
        while (c != null && !c.cancellable) {
            c = c.parent;
        }
        return c;
    }

    /** The done signal of this node: its own, its cancellable ancestor's, or one that never completes. */
    private CompletableFuture<Void> signal() {
        Context owner = nearestCancellable();
        if (owner == null) {
            return NEVER;
        }
        owner.lock.lock();
        try {
            owner.ensureSignal();
            return owner.doneSignal;
        } finally {
            owner.lock.unlock();
        }
    }

    /** Creates the done signal on first demand; already complete if done. Under the lock. */
    private void ensureSignal() {
        if (doneSignal == null) {
            doneSignal = err == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Makes this node done, once: the first error and cause stay. Descendants are cancelled before this returns, by
     * a loop over a work list rather than a call per level: a Java thread's stack is fixed (a goroutine's grows), and
     * a chain of some thousand contexts would overflow it.
     */
    private void cancel(boolean removeFromParent, ContextError error, Throwable why) {
        Set<Context> reached = finish(error, why);
        if (reached == null) {
            return; // already done: the first reason stays
        }
        Throwable recorded = cause; // written by finish on this thread
        for (Context child : reached) {
            child.cancel(false, error, recorded); // a call per level
        }
        if (removeFromParent && parent != null) {
            Context owner = parent.nearestCancellable();
            if (owner != null) {
                owner.removeChild(this);
            }
        }
    }

    /**
     * Marks this one node done, unless it is already: records the error and the cause, takes the children out, and
     * then, outside the lock (they may run other code), completes the done signal, stops the timer and starts the
     * afterFunc. Returns the children the cancellation must reach next, or null if the node was done already.
     */
    private Set<Context> finish(ContextError error, Throwable why) {
        Set<Context> reached;
        CompletableFuture<Void> signal;
        Timer.Scheduled pendingAlarm;
        lock.lock();
        try {
            if (err != null) {
                return null;
            }
            cause = why != null ? why : error.exception();
            err = error; // after cause: the volatile write publishes it
            reached = children;
            children = null;
            signal = doneSignal;
            pendingAlarm = alarm;
            alarm = null;
        } finally {
            lock.unlock();
        }
        if (signal != null) {
            signal.complete(null);
        }
        if (pendingAlarm != null) {
            pendingAlarm.cancel();
        }
        if (onDone != null) {
            onDone.run();
        }
        return reached;
    }

    private void removeChild(Context child) {
        lock.lock();
        try {
            if (children != null) {
                children.remove(child);
            }
        } finally {
            lock.unlock();
        }
    }
}
