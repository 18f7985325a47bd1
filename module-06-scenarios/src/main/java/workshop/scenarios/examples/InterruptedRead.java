package workshop.scenarios.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * What an interrupt does to a thread blocked in a {@code java.net.Socket} read that no byte will end: on a virtual
 * thread, and on a platform thread. {@link #main} prints what each saw.
 */
public final class InterruptedRead {

    private InterruptedRead() {
    }

    static void blockedRead(Thread.Builder builder, String kind) throws IOException, InterruptedException {
        try (ServerSocket listener = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            Socket peer = listener.accept();                  // the other end: open, and silent
            try {
                Thread reader = builder.start(() -> {
                    long start = System.nanoTime();
                    try {
                        int b = client.getInputStream().read();
                        System.out.println(kind + ": read returned " + b);
                    } catch (IOException e) {
                        System.out.printf("%s: %s after %d ms; socket closed: %s%n", kind, e,
                                (System.nanoTime() - start) / 1_000_000, client.isClosed());
                    }
                });
                Thread.sleep(100);
                reader.interrupt();
                reader.join(1_000);
                System.out.println(kind + ": still blocked 1 s after the interrupt: " + reader.isAlive());
                client.close();                               // what ends a platform thread's read
                reader.join();
            } finally {
                client.close();
                peer.close();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        blockedRead(Thread.ofVirtual(), "virtual thread");
        blockedRead(Thread.ofPlatform(), "platform thread");
    }
}
