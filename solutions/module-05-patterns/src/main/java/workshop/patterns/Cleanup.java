package workshop.patterns;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Exercise 05.10: Deferred cleanup
 *
 * <p>Go's {@code defer} stack in Java: resources registered as they are acquired and released in reverse order when
 * the scope ends, every one of them, even when a release fails; and the defer-in-a-loop leak, fixed.
 *
 * <pre>{@code
 * func copyFile(dst, src string) error {
 *     in, err := os.Open(src)
 *     if err != nil { return err }
 *     defer in.Close()                 // runs when copyFile returns, after out.Close (last in, first out)
 *     out, err := os.Create(dst)
 *     if err != nil { return err }
 *     defer out.Close()
 *     _, err = io.Copy(out, in)
 *     return err
 * }
 * }</pre>
 *
 * <p>A {@code Cleanup} belongs to the thread that opened it, as a {@code defer} belongs to its function: it is not
 * safe for use by several threads at once.
 */
public final class Cleanup implements AutoCloseable {

    private final Deque<AutoCloseable> deferred = new ArrayDeque<>(); // a stack: the last deferred on top
    private boolean closed;

    /** A scope with nothing deferred yet. */
    public Cleanup() {
    }

    /**
     * Registers {@code resource} to be closed by {@link #close()}, after every resource deferred later, and returns
     * it, so that acquiring and deferring can be one line: {@code var in = cleanup.defer(open(name));}.
     *
     * @throws IllegalStateException if this scope is already closed
     */
    public <T extends AutoCloseable> T defer(T resource) {
        Objects.requireNonNull(resource, "resource");
        if (closed) {
            throw new IllegalStateException("this cleanup is closed: nothing deferred now would be released");
        }
        deferred.push(resource);
        return resource;
    }

    /**
     * Closes every deferred resource, the last deferred first (last in, first out), as Go runs deferred calls and as
     * try-with-resources closes its resources. A resource whose {@code close} throws does not stop the others: they
     * are all closed, then the first failure is thrown, with each later one {@linkplain Throwable#addSuppressed
     * suppressed} by it, in the order they happened, as try-with-resources does (JLS 14.20.3). Used itself in a
     * try-with-resources statement whose body throws, that failure stays the primary one and this one is suppressed
     * by it.
     *
     * <p>Idempotent: a second call closes nothing and throws nothing.
     *
     * @throws Exception the first failure of a {@code close}, the very exception it threw
     */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        Throwable primary = null;
        while (!deferred.isEmpty()) {
            AutoCloseable resource = deferred.pop(); // popped before it is closed: never closed twice
            try {
                resource.close();
            } catch (Throwable failure) {
                if (primary == null) {
                    primary = failure;
                } else if (failure != primary) {
                    primary.addSuppressed(failure);
                }
            }
        }
        if (primary instanceof Exception exception) {
            throw exception;
        }
        if (primary instanceof Error error) {
            throw error;
        }
        if (primary != null) {
            throw new Exception(primary); // a Throwable that is neither: rare, kept as the cause
        }
    }

    /** A file opened for reading: {@link #totalSize} closes each one. */
    public interface Handle extends AutoCloseable {

        /** The size of the file, in bytes. */
        long size() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Opens files by name: the tests pass a fake that counts how many are open at once. */
    @FunctionalInterface
    public interface Opener {

        Handle open(String name) throws IOException;
    }

    /**
     * The total size of the files {@code names}, each opened through {@code opener}, read and closed before the next
     * one is opened: at most one is open at any moment, however many names there are. Stops at the first failure
     * and throws it, the very exception; the file it happened on is closed first (a failure to close it is then
     * suppressed by the first failure), and so is every file opened before.
     */
    public static long totalSize(List<String> names, Opener opener) throws Exception {
        long total = 0;
        for (String name : names) {
            try (Handle handle = opener.open(name)) { // released at the end of each iteration, not of the method
                total += handle.size();
            }
        }
        return total;
    }
}
