package workshop.scenarios.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Which of {@code HttpClient}'s ways to give up on a request in flight really closes its HTTP/1.1 connection, as a
 * server sees it: {@link #main} sends a request to a raw socket that never answers, gives up one way, and prints what
 * the server's next read saw within 3 s.
 */
public final class ClientCancel {

    private ClientCancel() {
    }

    public static void main(String[] args) throws Exception {
        for (String how : List.of("cancel(true)", "cancel(false)", "shutdownNow()", "shutdown()", "close()")) {
            try (ServerSocket listener = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/never-answered")).build();
                CompletableFuture<HttpResponse<String>> answer =
                        client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
                try (Socket server = listener.accept()) {
                    InputStream in = server.getInputStream();
                    byte[] buffer = new byte[8192];
                    int requestBytes = in.read(buffer);            // the request itself
                    long start = System.nanoTime();
                    Thread giveUp = Thread.ofVirtual().start(() -> {  // close() and shutdown() may block
                        switch (how) {
                            case "cancel(true)" -> answer.cancel(true);
                            case "cancel(false)" -> answer.cancel(false);
                            case "shutdownNow()" -> client.shutdownNow();
                            case "shutdown()" -> client.shutdown();
                            default -> client.close();
                        }
                    });
                    server.setSoTimeout(3_000);
                    String seen;
                    try {
                        seen = in.read(buffer) == -1 ? "end of stream (closed)" : "more bytes";
                    } catch (SocketTimeoutException e) {
                        seen = "nothing: the connection is still open";
                    } catch (IOException e) {
                        seen = e.toString();
                    }
                    System.out.printf("%-14s (request of %d bytes) the server's read after %4d ms: %s%n", how,
                            requestBytes, (System.nanoTime() - start) / 1_000_000, seen);
                    client.shutdownNow();
                    giveUp.join();
                    client.close();
                }
            }
        }
    }
}
