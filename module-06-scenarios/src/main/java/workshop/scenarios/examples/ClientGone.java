package workshop.scenarios.examples;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a handler of the JDK's {@code HttpServer} can tell when its client goes away: a client sends a request and
 * closes its socket after 100 ms; the handler works for 2 s, then answers. Run it with the size of the answer in bytes
 * as its argument (default 100000).
 */
public final class ClientGone {

    private ClientGone() {
    }

    private static final long T0 = System.nanoTime();

    static void log(String event) {
        System.out.printf("%5d ms  %s%n", (System.nanoTime() - T0) / 1_000_000, event);
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        CountDownLatch handled = new CountDownLatch(1);
        server.createContext("/", exchange -> {
            try (exchange) {
                Thread.sleep(2_000);                                  // the request's work
                log("handler done working; interrupted: " + Thread.currentThread().isInterrupted());
                exchange.sendResponseHeaders(200, size);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(new byte[size]);
                }
                log("handler wrote " + size + " bytes without an error");
            } catch (IOException | InterruptedException e) {
                log("handler: " + e);
            } finally {
                handled.countDown();
            }
        });
        server.start();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            Thread.sleep(100);
        }
        log("client closed its connection");
        handled.await();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).close();
    }
}
