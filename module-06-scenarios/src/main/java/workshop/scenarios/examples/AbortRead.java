package workshop.scenarios.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Can a thread blocked in a socket read be stopped without losing the socket, as Go's server stops its background
 * read with a read deadline in the past? {@link #main} blocks a virtual thread in a read, sets a socket time-out
 * while it is blocked, then interrupts it, and prints what each did.
 */
public final class AbortRead {

    private AbortRead() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket peer = listener.accept()) {                  // open and silent: no byte will end the read
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    System.out.println("read returned " + client.getInputStream().read());
                } catch (IOException e) {
                    System.out.println("read threw " + e);
                }
            });
            while (reader.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();                               // until it is blocked in the read
            }
            client.setSoTimeout(50);                               // a time-out set while the read is blocked
            reader.join(500);
            System.out.println("500 ms after setSoTimeout(50), the reader is still blocked: " + reader.isAlive());
            reader.interrupt();
            reader.join(2_000);
            System.out.println("after interrupt(): reader ended " + !reader.isAlive() + ", socket closed "
                    + client.isClosed() + " (peer open: " + !peer.isClosed() + ")");
        }
    }
}
