package workshop.scenarios.aggregation.adapter.downstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * A downstream for 06.4's interruption test, on a plain socket so that it can see what an HTTP server cannot: the
 * client closing the connection while the answer is held. It accepts one connection, reads the request's head, and
 * then never answers: it reads on until the client closes the connection (end of stream or a reset).
 */
final class DownstreamHoldingSocket implements AutoCloseable {

    final CountDownLatch requestArrived = new CountDownLatch(1);
    final CountDownLatch closedByClient = new CountDownLatch(1);
    private final ServerSocket listener;
    private final Thread acceptor;
    private volatile Socket accepted;
    private volatile boolean closing;

    DownstreamHoldingSocket() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("[06.4] holding downstream").start(this::serveOne);
    }

    private void serveOne() {
        try (Socket socket = listener.accept()) {
            accepted = socket;
            if (closing) { // close() may have looked before accepted was set
                return;
            }
            InputStream in = socket.getInputStream();
            int matched = 0; // of "\r\n\r\n", the end of the request's head
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            requestArrived.countDown();
            try {
                while (in.read() >= 0) {
                    // a GET has no body: anything more is ignored
                }
            } catch (IOException reset) {
                // a reset is a close too
            }
            if (!listener.isClosed()) {
                closedByClient.countDown();
            }
        } catch (IOException stopped) {
            // close() closed the listener or the socket
        }
    }

    URI base() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        closing = true;
        listener.close();
        Socket socket = accepted;
        if (socket != null) {
            socket.close();
        }
        try {
            acceptor.join(workshop.support.testing.Parked.PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
