package workshop.scenarios.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the JDK's {@code HttpServer.stop(n)} does (Go's {@code srv.Shutdown(ctx)}): {@link #main} runs four cases on a
 * server with a virtual thread per exchange and prints how long {@code stop(2)} took and what the clients saw: no
 * connection; one idle keep-alive connection; one request in flight for 1 s; one in flight for 4 s (longer than the
 * delay). {@code stop} interrupts no handler: one that outlives the delay runs on, until the executor's
 * {@code shutdownNow()} here interrupts it.
 */
public final class HttpServerStop {

    private HttpServerStop() {
    }

    public static void main(String[] args) throws Exception {
        for (String mode : new String[] {"nothing", "idle-keep-alive", "in-flight-1s", "in-flight-4s"}) {
            run(mode);
        }
    }

    private static void run(String mode) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch handled = new CountDownLatch(1);
        long work = mode.equals("in-flight-4s") ? 4_000 : 1_000;
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/slow", exchange -> {
            entered.countDown();
            try {
                Thread.sleep(work);
                answer(exchange);
            } catch (InterruptedException e) {
                System.out.println("  the handler was interrupted");
            } catch (IOException e) {
                System.out.println("  the handler could not answer: " + e);
            } finally {
                handled.countDown();
            }
        });
        server.createContext("/fast", HttpServerStop::answer);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (HttpClient client = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> slow = null;
            if (mode.equals("idle-keep-alive")) {
                client.send(HttpRequest.newBuilder(base.resolve("/fast")).build(), HttpResponse.BodyHandlers.ofString());
            } else if (mode.startsWith("in-flight")) {
                slow = client.sendAsync(HttpRequest.newBuilder(base.resolve("/slow")).build(),
                        HttpResponse.BodyHandlers.ofString());
                entered.await();
            }
            long start = System.nanoTime();
            server.stop(2);
            System.out.printf("%s: stop(2) returned after %d ms%n", mode, (System.nanoTime() - start) / 1_000_000);
            if (slow != null) {
                System.out.println("  the handler still runs after stop(2) returned: " + (handled.getCount() > 0));
                try {
                    System.out.println("  the request in flight got " + slow.get().statusCode());
                } catch (Exception e) {
                    System.out.println("  the request in flight failed: " + e.getCause());
                }
            }
            try {
                client.send(HttpRequest.newBuilder(base.resolve("/fast")).build(), HttpResponse.BodyHandlers.ofString());
                System.out.println("  a new request after stop was answered");
            } catch (ConnectException e) {
                System.out.println("  a new request after stop: connection refused");
            }
        } finally {
            handlers.shutdownNow(); // stop() does not interrupt a handler: this does
            handlers.close();
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        byte[] body = "ok\n".getBytes();
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
