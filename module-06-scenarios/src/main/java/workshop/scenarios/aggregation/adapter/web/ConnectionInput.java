package workshop.scenarios.aggregation.adapter.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes a client sent on one connection, buffered: what the {@link WebServer} parses requests from, and what a
 * {@link ConnectionWatch} reads ahead on while a handler runs.
 *
 * <p>One socket read at a time: a read ahead that is still blocked when the handler ends is not aborted (Java has no
 * way to abort a blocked socket read and keep the socket: an interrupt of a virtual thread in a socket read closes
 * the socket, and a read time-out is read once when the read starts); the server's next read waits for it and takes
 * what it brought. Go aborts its background read instead, with a read deadline in the past
 * ({@code connReader.abortPendingRead}).
 *
 * <p>Memory consistency effects: bytes kept by {@link #fill()} on one thread are seen by the server's reads on
 * another.
 */
public final class ConnectionInput {

    private static final int MAX_BUFFERED = 1 << 20;

    private final InputStream socket;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readEnded = lock.newCondition();
    // Guarded by lock: unread bytes are buffer[start, end); a thread is in socket.read while reading is true.
    private byte[] buffer = new byte[8192];
    private int start;
    private int end;
    private boolean reading;
    private boolean endOfStream;
    private IOException failure;

    ConnectionInput(InputStream socket) {
        this.socket = socket;
    }

    /**
     * Reads more bytes from the client into the buffer and KEEPS them for the connection's next request (a pipelined
     * request sent while the handler runs is not lost). Blocks in the socket read, parked with no time-out, until at
     * least one byte arrives, the client closes its side, or the connection fails. If another thread's read is in
     * flight, waits for it and reports what it brought.
     *
     * @return how many bytes arrived (at least 1), or -1 if the client closed the connection (end of stream)
     * @throws IOException if the connection was reset or closed (by the server, for one), or if the client sent more
     *                     than the server buffers
     */
    public int fill() throws IOException {
        lock.lock();
        try {
            while (reading) {
                readEnded.awaitUninterruptibly();
            }
            return readLocked();
        } finally {
            lock.unlock();
        }
    }

    /** The bytes buffered and not read yet by the server, without blocking. */
    public int available() {
        lock.lock();
        try {
            return end - start;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The server's read: CONSUMES the next byte (a watch that called this would take a byte of the next request away
     * from the server). Blocks until a byte is there; waits for a read in flight on another thread, interruptibly.
     *
     * @return the byte, 0 to 255, or -1 at the end of the stream
     */
    int read() throws IOException, InterruptedException {
        lock.lock();
        try {
            while (start == end) {
                if (endOfStream) {
                    return -1;
                }
                if (failure != null) {
                    throw failure;
                }
                if (reading) {
                    readEnded.await();
                } else {
                    readLocked();
                }
            }
            return buffer[start++] & 0xff;
        } finally {
            lock.unlock();
        }
    }

    /** Reads and drops {@code count} bytes (a request body): false if the stream ended first. */
    boolean skip(long count) throws IOException, InterruptedException {
        for (long i = 0; i < count; i++) {
            if (read() < 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads from the socket with the lock released; called with the lock held and no read in flight. */
    private int readLocked() throws IOException {
        if (endOfStream) {
            return -1;
        }
        if (failure != null) {
            throw failure;
        }
        if (end == buffer.length) {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            } else if (buffer.length < MAX_BUFFERED) {
                buffer = Arrays.copyOf(buffer, Math.min(MAX_BUFFERED, buffer.length * 2));
            } else {
                failure = new IOException("the client sent more than " + MAX_BUFFERED + " bytes ahead");
                throw failure;
            }
        }
        byte[] into = buffer;
        int at = end;
        int room = buffer.length - end;
        reading = true;
        lock.unlock();
        int n;
        try {
            n = socket.read(into, at, room);
        } catch (IOException e) {
            lock.lock();
            reading = false;
            failure = e;
            readEnded.signalAll();
            throw e;
        }
        lock.lock();
        reading = false;
        if (n < 0) {
            endOfStream = true;
        } else {
            end += n; // only a thread with the lock and no read in flight replaces the buffer: into == buffer
        }
        readEnded.signalAll();
        return n;
    }
}
