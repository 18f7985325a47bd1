package workshop.support.testing;

import workshop.support.threads.StuckThreads;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call a test makes on a thread of its own, so that the test can watch it block: the learner's code runs there,
 * the test thread observes and releases. The thread is a daemon platform thread named {@code workshop-background-*};
 * give it a description that starts with the exercise id, such as {@code "[01.3] await()"}: failures quote it.
 *
 * <p>Memory consistency effects: actions in the call happen-before a successful return from {@link #await}.
 *
 * @param <T> what the call returns
 */
public final class Background<T> {

    /** A call that failed: {@link #rethrowIfFailed()} throws it with the call's exception as its cause. */
    public static final class CallFailed extends RuntimeException {
        CallFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String description;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final Thread thread;

    private Background(String description, Callable<T> call) {
        this.description = description;
        // daemon: a learner's call that never returns must not keep an IDE's test JVM alive
        this.thread = Thread.ofPlatform().daemon().name("workshop-background-" + description).start(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
    }

    /** Starts {@code call} on a new platform thread; {@code description} names it in failure messages. */
    public static <T> Background<T> call(String description, Callable<T> call) {
        return new Background<>(description, call);
    }

    /** Starts {@code action} on a new platform thread. */
    public static Background<Void> run(String description, ThrowingRunnable action) {
        return new Background<>(description, () -> {
            action.run();
            return null;
        });
    }

    /** A runnable that may throw, such as a call that blocks and answers interruption. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The thread the call runs on, to look at its state. */
    public Thread thread() {
        return thread;
    }

    /** Whether the call has returned or thrown. */
    public boolean isDone() {
        return outcome.isDone();
    }

    /**
     * Throws, at once, what the call threw, if it has thrown; does nothing otherwise. Inside an Awaitility condition
     * it ends the wait at once: a learner's exception (a "not solved yet" among them) is the failure to show.
     */
    public void rethrowIfFailed() {
        if (outcome.isCompletedExceptionally()) {
            Throwable cause = outcome.exceptionNow();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CallFailed(description + " threw " + cause, cause);
        }
    }

    /**
     * Waits for the call to finish and returns its result. Blocks for at most {@code limit}.
     *
     * @throws AssertionError if it did not finish in time: the message says what was waited for, and shows the
     *                        threads the test started and what each one is doing (waiting, sleeping, spinning)
     * @throws RuntimeException or Error: what the call threw; a checked exception comes wrapped in {@link CallFailed}
     */
    public T await(Duration limit) throws InterruptedException {
        try {
            return outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(description + " did not return within " + limit.toMillis() + " ms. "
                    + StuckThreads.report(thread.threadId()));
        } catch (ExecutionException e) {
            rethrowIfFailed();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the thread to end, for at most {@code limit}: a test's cleanup. */
    public void join(Duration limit) throws InterruptedException {
        thread.join(limit);
    }
}
