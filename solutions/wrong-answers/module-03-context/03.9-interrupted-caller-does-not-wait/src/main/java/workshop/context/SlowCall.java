// Wrong answer for 03.9: an interrupted caller cancels the call but does not wait until it has ended
package workshop.context;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Exercise 03.9: A slow call with a deadline
 *
 * <p>Give a call a time budget. When the budget runs out, do not just stop waiting: cancel the call by interrupting
 * it, and wait until it has really ended, so nothing it does outlives the answer "timed out".
 *
 * <pre>{@code
 * ctx, cancel := context.WithTimeout(ctx, timeout)
 * defer cancel()
 * result, err := call(ctx)   // call returns ctx.Err() (DeadlineExceeded) once the deadline passes
 * }</pre>
 */
public final class SlowCall {

    private SlowCall() {
    }

    /**
     * Runs {@code call} on a thread of its own and returns its result, waiting at most {@code timeout} for it.
     *
     * <p>If the call does not finish in time, it is cancelled by interrupting its thread, and this method waits until
     * the call has returned or thrown, then throws {@link TimeoutException}. The call must answer interruption (as a
     * blocking JDK method does) for that wait to end. If the caller is interrupted while waiting, the call is
     * cancelled the same way, waited for, and this method throws {@link InterruptedException}.
     *
     * <p>Memory consistency effects: actions in the call happen-before this method returns or throws.
     *
     * @throws ExecutionException if the call threw: its exception is the cause
     * @throws TimeoutException if the call did not finish within {@code timeout} (it has ended by then)
     * @throws InterruptedException if the caller was interrupted while waiting (the call has ended by then)
     */
    public static <T> T callWithin(Callable<T> call, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        // close() waits until the call has ended: the try block cannot return or throw before that
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Future<T> future = executor.submit(call);
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            executor.close(); // waits for the cancelled call
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true); // interrupts the call, but nothing waits for it to end
            throw e;
        } finally {
            executor.shutdown();
        }
    }
}
