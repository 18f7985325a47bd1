package workshop.scenarios.aggregation.adapter.web;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server (GIVEN code, not an exercise): the service's transport, Go's {@code http.Server} for this
 * module. Why not the JDK's {@code com.sun.net.httpserver}: while its handler runs, nothing reads the connection, so
 * it cannot tell that the client went away (the README's section 5 shows the probe); this server can, with a
 * {@link ConnectionWatch} around every request.
 *
 * <ul>
 *     <li>A {@link ServerSocket} on loopback (or the address given), port 0 unless told; a virtual thread per
 *         connection; keep-alive, so that a client sends request after request on one connection.</li>
 *     <li>Requests parsed strictly: the request line, CRLF-terminated header lines (at most 100, 64 KiB in all),
 *         {@code Host} required in HTTP/1.1, bodies with a {@code Content-Length} read and discarded,
 *         {@code Transfer-Encoding} refused. A request the server cannot parse gets 400 and the connection is
 *         closed.</li>
 *     <li>Responses with {@code Content-Length} and {@code X-Request-Id} (the client's when it is 1 to 64 of
 *         {@code A-Z a-z 0-9 . _ : -}, else one the server makes); {@code Connection: close} from the client, or
 *         HTTP/1.0 without keep-alive, closes the connection after the response.</li>
 *     <li>The handler runs on the connection's thread; if the client goes away meanwhile, the watch interrupts it.
 *         A handler that throws {@link InterruptedException} gets no response sent for it: the connection is closed
 *         (no one is there to read it, or its answer was cancelled). A handler that throws anything else: 500.</li>
 *     <li>{@link #close()}: stops accepting, closes idle connections, lets requests in flight finish for the grace
 *         period, then closes the connections still open (their watches interrupt their handlers) and waits for every
 *         thread the server started: none is left when it returns. Go's {@code Shutdown(ctx)}, then {@code Close()}.
 *     </li>
 * </ul>
 */
public final class WebServer implements AutoCloseable {

    /** What the server does about the {@link ConnectionWatch}. */
    public enum Watching {
        /** Watch every request; a watch that fails to start is a 500 for that request (the tests of 06.6). */
        REQUIRED,
        /** Watch every request; if the watch fails to start (not solved yet), serve without it and say so once. */
        BEST_EFFORT,
        /** Never watch: handlers run on after their client left (the JDK's HttpServer does that). */
        OFF
    }

    /**
     * How to run.
     *
     * @param address  where to listen: the loopback address unless there is a reason
     * @param port     the port, 0 for any free one
     * @param grace    how long {@link #close()} lets requests in flight finish before it closes their connections
     * @param watching whether to watch for clients that go away
     */
    public record Options(InetAddress address, int port, Duration grace, Watching watching) {
        public Options {
            Objects.requireNonNull(address, "address");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            if (grace.isNegative()) {
                throw new IllegalArgumentException("negative grace: " + grace);
            }
            Objects.requireNonNull(watching, "watching");
        }

        /** Loopback, any free port, a grace of 2 s, watching at best effort. */
        public static Options defaults() {
            return new Options(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(2), Watching.BEST_EFFORT);
        }

        public Options withPort(int port) {
            return new Options(address, port, grace, watching);
        }

        public Options withGrace(Duration grace) {
            return new Options(address, port, grace, watching);
        }

        public Options withWatching(Watching watching) {
            return new Options(address, port, grace, watching);
        }
    }

    private static final System.Logger LOG = System.getLogger(WebServer.class.getName());
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final long MAX_BODY = 16L * 1024 * 1024;
    private static final Duration THREAD_EXIT = Duration.ofSeconds(5);
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"),
            Map.entry(204, "No Content"), Map.entry(400, "Bad Request"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private final Handler handler;
    private final Options options;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Every watch thread alive, also one that outlived its connection. */
    private final Set<Thread> watchThreads = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong watchThreadsStarted = new AtomicLong();
    private final AtomicInteger strayInterrupts = new AtomicInteger();
    private final AtomicReference<RuntimeException> watchFailure = new AtomicReference<>();
    private final Object closeLock = new Object();
    private volatile boolean closing;
    private boolean closed; // guarded by closeLock

    private WebServer(Handler handler, Options options) throws IOException {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.options = Objects.requireNonNull(options, "options");
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(options.address(), options.port()), 1024);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.listener = socket;
        this.acceptor = Thread.ofVirtual().name("web-accept-" + socket.getLocalPort()).unstarted(this::accept);
    }

    /** Starts a server with {@link Options#defaults()}: loopback, a free port. */
    public static WebServer start(Handler handler) throws IOException {
        return start(handler, Options.defaults());
    }

    /** Starts a server: it listens when this returns. */
    public static WebServer start(Handler handler, Options options) throws IOException {
        WebServer server = new WebServer(handler, options);
        server.acceptor.start();
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Its base URI, such as {@code http://127.0.0.1:43127}. */
    public URI uri() {
        String host = listener.getInetAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** How many threads the server made for watches so far. */
    public long watchThreadsStarted() {
        return watchThreadsStarted.get();
    }

    /**
     * Interrupts of a connection's thread that no watch owned up to ({@link ConnectionWatch#stop()} said
     * {@code false}) and that the server's close did not cause: each one landed after its watch was stopped, or came
     * from elsewhere. The connection was closed for each.
     */
    public int strayInterrupts() {
        return strayInterrupts.get();
    }

    /** The first exception a watch threw when it was started, if any (06.6 not solved yet, for one). */
    public Optional<RuntimeException> watchFailure() {
        return Optional.ofNullable(watchFailure.get());
    }

    /**
     * The threads of this server still alive: its acceptor, its connections' threads and every watch thread it made
     * (one that outlived its connection too).
     */
    public List<Thread> threads() {
        List<Thread> alive = new ArrayList<>();
        if (acceptor.isAlive()) {
            alive.add(acceptor);
        }
        for (Connection c : connections) {
            if (c.thread.isAlive()) {
                alive.add(c.thread);
            }
        }
        watchThreads.stream().filter(Thread::isAlive).forEach(alive::add);
        return alive;
    }

    private void accept() {
        while (!closing) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed, the server stops accepting", e);
                }
                return;
            }
            long id = connectionIds.incrementAndGet();
            Connection connection = new Connection(id, socket);
            connections.add(connection);
            if (closing) { // close() may have looked at the connections already
                connection.closeSocket();
            }
            connection.thread.start();
        }
    }

    /** Stops the server; see the class comment. Idempotent; waits until every thread it started has ended. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            boolean interrupted = false;
            try {
                acceptor.join(THREAD_EXIT);
                long deadline = System.nanoTime() + options.grace().toNanos();
                for (Connection c : List.copyOf(connections)) {
                    if (!c.busy) {
                        c.closeSocket(); // idle: no request to finish
                    }
                }
                for (Connection c : List.copyOf(connections)) {
                    long left = deadline - System.nanoTime();
                    if (left > 0) {
                        c.thread.join(Duration.ofNanos(left)); // a busy connection ends after its response
                    }
                }
                for (Connection c : List.copyOf(connections)) {
                    c.closeSocket(); // its watch sees the socket closed and interrupts its handler
                    c.thread.interrupt(); // a handler without a watch
                }
                for (Connection c : List.copyOf(connections)) {
                    c.thread.join(THREAD_EXIT);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            List<Thread> left = threads();
            if (!left.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "threads still alive after close: {0}", left);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Connection {
        final long id;
        final Socket socket;
        final Thread thread;
        final Set<Thread> watchThreads = ConcurrentHashMap.newKeySet();
        final AtomicInteger watchCount = new AtomicInteger();
        volatile boolean busy;

        Connection(long id, Socket socket) {
            this.id = id;
            this.socket = socket;
            this.thread = Thread.ofVirtual().name("web-connection-" + id).unstarted(this::serve);
        }

        void closeSocket() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed anyway
            }
        }

        Thread newWatchThread(Runnable watch) {
            watchThreadsStarted.incrementAndGet();
            Thread[] self = new Thread[1];
            self[0] = Thread.ofVirtual().name("web-watch-" + id + "-" + watchCount.incrementAndGet()).unstarted(() -> {
                try {
                    watch.run();
                } finally {
                    watchThreads.remove(self[0]);
                    WebServer.this.watchThreads.remove(self[0]);
                }
            });
            watchThreads.add(self[0]);
            WebServer.this.watchThreads.add(self[0]);
            return self[0];
        }

        void serve() {
            try {
                socket.setTcpNoDelay(true);
                ConnectionInput input = new ConnectionInput(socket.getInputStream());
                OutputStream output = new BufferedOutputStream(socket.getOutputStream(), 8192);
                while (!closing && serveOne(input, output)) {
                    busy = false;
                }
            } catch (IOException e) {
                // the connection failed or was closed: nothing to answer
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "connection " + id + " failed", e);
            } finally {
                closeSocket();
                boolean interrupted = false;
                for (Thread watch : List.copyOf(watchThreads)) {
                    try {
                        watch.join(THREAD_EXIT); // the socket is closed: its read has ended or is ending
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if ((Thread.interrupted() || interrupted) && !closing) {
                    strayInterrupts.incrementAndGet(); // an interrupt landed after the last watch was stopped
                }
                connections.remove(this);
            }
        }

        /** Serves one request: true to go on with the next one on this connection. */
        private boolean serveOne(ConnectionInput input, OutputStream output) throws IOException {
            Parsed parsed;
            try {
                parsed = readRequest(input);
            } catch (BadRequest e) {
                write(output, Response.text(400, e.getMessage() + "\n"), newRequestId(), true, false);
                return false;
            } catch (InterruptedException e) {
                if (!closing) {
                    strayInterrupts.incrementAndGet(); // interrupted while idle: a watch's late interrupt
                }
                return false;
            }
            if (parsed == null) {
                return false; // the client closed between requests
            }
            busy = true;
            Request request = parsed.request();
            boolean head = request.method().equals("HEAD");
            ConnectionWatch watch = null;
            Response response = null;
            if (options.watching() != Watching.OFF) {
                try {
                    watch = ConnectionWatch.start(input, Thread.currentThread(), this::newWatchThread);
                } catch (RuntimeException e) {
                    if (watchFailure.compareAndSet(null, e)) {
                        LOG.log(System.Logger.Level.WARNING, "the connection watch did not start ("
                                + e + "): handlers run on when their client goes away");
                    }
                    if (options.watching() == Watching.REQUIRED) {
                        response = Response.text(500, "the connection watch failed to start: " + e + "\n");
                    }
                }
            }
            if (response == null) {
                boolean gone = false;
                try {
                    response = handler.handle(request);
                    Objects.requireNonNull(response, "the handler returned no response");
                } catch (InterruptedException e) {
                    response = null; // no answer: the connection is closed below
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "request " + request.requestId() + " failed", e);
                    response = Response.text(500, "internal server error\n");
                } finally {
                    gone = watch != null && watch.stop();
                }
                if (gone) {
                    Thread.interrupted(); // the watch's interrupt, owned up to: the client is gone, nothing to send
                    return false;
                }
            }
            if (Thread.interrupted()) {
                if (!closing) {
                    strayInterrupts.incrementAndGet(); // no watch owned up to it
                }
                return false;
            }
            if (response == null) {
                return false; // the handler was interrupted (or gave up as if it were): it has no answer, close
            }
            boolean close = closing || !parsed.keepAlive();
            write(output, response, request.requestId(), close, head);
            return !close;
        }
    }

    private record Parsed(Request request, boolean keepAlive) {
    }

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static String newRequestId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** The next request, or null if the stream ended before its first byte. */
    private static Parsed readRequest(ConnectionInput input) throws IOException, InterruptedException, BadRequest {
        String line = readLine(input, true);
        if (line == null) {
            return null;
        }
        if (line.isEmpty()) { // one empty line before a request line is tolerated (RFC 9112, 2.2)
            line = readLine(input, false);
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || !parts[1].startsWith("/")
                || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"))) {
            throw new BadRequest("bad request line");
        }
        Map<String, String> headers = new HashMap<>();
        int bytes = 0;
        while (true) {
            String header = readLine(input, false);
            if (header.isEmpty()) {
                break;
            }
            bytes += header.length() + 2;
            if (headers.size() >= MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
                throw new BadRequest("too many header fields");
            }
            int colon = header.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(header.substring(0, colon)).matches()) {
                throw new BadRequest("bad header field");
            }
            headers.put(header.substring(0, colon).toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        boolean http11 = parts[2].equals("HTTP/1.1");
        if (http11 && !headers.containsKey("host")) {
            throw new BadRequest("no Host header field");
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new BadRequest("Transfer-Encoding is not supported: send a Content-Length");
        }
        String length = headers.get("content-length");
        if (length != null) {
            if (!length.matches("[0-9]{1,12}") || Long.parseLong(length) > MAX_BODY) {
                throw new BadRequest("bad Content-Length");
            }
            if (!input.skip(Long.parseLong(length))) {
                throw new IOException("the stream ended in a request body");
            }
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = http11 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        String id = headers.get("x-request-id");
        String requestId = id != null && REQUEST_ID.matcher(id).matches() ? id : newRequestId();
        return new Parsed(new Request(parts[0], parts[1], headers, requestId), keepAlive);
    }

    private static boolean hasToken(String list, String token) {
        for (String item : list.split(",")) {
            if (item.strip().equals(token)) {
                return true;
            }
        }
        return false;
    }

    /** A line without its CRLF; null if the stream ends before its first byte and that is allowed. */
    private static String readLine(ConnectionInput input, boolean endAllowed)
            throws IOException, InterruptedException, BadRequest {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = input.read();
            if (b < 0) {
                if (endAllowed && line.isEmpty()) {
                    return null;
                }
                throw new IOException("the stream ended in a request head");
            }
            if (b == '\r') {
                if (input.read() != '\n') {
                    throw new BadRequest("a CR without its LF");
                }
                return line.toString();
            }
            if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7f) {
                throw new BadRequest("a control character in the request head");
            }
            if (line.length() >= MAX_LINE) {
                throw new BadRequest("a line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
            endAllowed = false;
        }
    }

    private static void write(OutputStream output, Response response, String requestId, boolean close,
                              boolean head) throws IOException {
        StringBuilder text = new StringBuilder(256);
        text.append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(REASONS.getOrDefault(response.status(), "Status")).append("\r\n");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Connection")
                    || name.equalsIgnoreCase("X-Request-Id") || name.equalsIgnoreCase("Transfer-Encoding")) {
                continue; // the server's to set
            }
            if (!TOKEN.matcher(name).matches() || header.getValue().chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("not a header field: " + name);
            }
            text.append(name).append(": ").append(header.getValue()).append("\r\n");
        }
        text.append("Content-Length: ").append(response.body().length).append("\r\n");
        text.append("X-Request-Id: ").append(requestId).append("\r\n");
        if (close) {
            text.append("Connection: close\r\n");
        }
        text.append("\r\n");
        output.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            output.write(response.body());
        }
        output.flush();
    }
}
