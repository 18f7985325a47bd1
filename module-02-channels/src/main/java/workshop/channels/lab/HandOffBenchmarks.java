package workshop.channels.lab;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import workshop.channels.Channel;
import workshop.channels.Received;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JMH benchmarks of the module 02 lab: what one hand-off between two threads costs, through the JDK's queues and
 * through the module's own {@link Channel}, with both threads virtual or both platform. {@link HandOffLab} runs them
 * and prints the table.
 *
 * <h2>Design: the two threads are ours, JMH's thread only conducts</h2>
 * A JMH benchmark method runs on JMH's own worker thread, a platform thread. If that thread were one end of the
 * hand-off, the "virtual" rows would measure a platform thread talking to a virtual one (an OS-level park and unpark
 * on one side, the virtual-thread scheduler on the other), which is neither case. So each trial starts its own
 * <em>pair</em> of worker threads, both virtual or both platform ({@code @Param threadKind}), in
 * {@code @Setup(Level.Trial)}, and the benchmark method only conducts: one invocation releases a <em>batch</em> to
 * the pair and waits until the pair reports it done.
 * <ul>
 * <li>{@code roundTrip}: the pinger sends a value on {@code ping} and receives it back on {@code pong};
 *     the echo partner receives on {@code ping} and sends back on {@code pong}. A batch is
 *     {@value #ROUND_TRIPS_PER_BATCH} round trips; the score is the batch time divided by that (ns per round trip,
 *     via {@code @OperationsPerInvocation}). Two hand-offs per round trip, each waking the other thread.
 * <li>{@code buffered}: the producer sends {@value #ITEMS_PER_BATCH} values into one queue of capacity
 *     {@value #CAPACITY}, the last one a marker; the consumer receives for ever and reports the batch done when it
 *     takes the marker. The score is values per microsecond, that is, millions of values per second.
 * <li>{@code harness}: the same conductor and pair with an empty batch. It measures what the conducting itself
 *     costs per batch (JMH's thread wakes the pair and is woken back): divided by the batch size, that is the bias it
 *     adds to the two rows above. {@link HandOffLab} prints it.
 * </ul>
 * What is therefore measured: the steady-state cost of a hand-off between two threads of one kind, averaged over a
 * batch, plus the conducting cost shared out over the batch. The conductor is parked while the batch runs, so the pair
 * has the machine's cores to itself (as far as the machine is quiet). What is not measured: a single hand-off's
 * latency distribution (a batch average hides the tail), start-up, or contention between several senders.
 *
 * <h2>Fair to every queue</h2>
 * Every queue is used through {@link Pipe}; a trial runs in its own JVM fork with one queue kind, so the JIT sees one
 * implementation at each call site. The value handed over is one pre-allocated {@link Integer}, so boxing is not
 * measured; {@link Channel#receive()} allocates its {@link Received} as its API requires, and that is measured.
 * Unbuffered means {@link SynchronousQueue} (put/take), {@link LinkedTransferQueue} with {@code transfer} (the sender
 * waits for the receiver), {@code new Channel<>(0)}, and {@link ArrayBlockingQueue} of capacity 1, the nearest it
 * gets (its sender does not wait for the receiver, but in a ping-pong only one value is ever in flight).
 * Buffered is capacity {@value #CAPACITY}, except {@link LinkedTransferQueue}, which is unbounded ({@code put} never
 * blocks): its producer may run ahead by up to a whole batch.
 *
 * <h2>It cannot hang</h2>
 * The conductor waits at most {@link #BATCH_LIMIT} for a batch and then fails the benchmark; a failure on a worker
 * thread is handed to the conductor at once. {@code @TearDown} interrupts both workers and joins them with a limit;
 * platform workers are daemon threads (virtual threads always are), so one that ignores the interrupt cannot keep the
 * fork alive. A last-resort watchdog ends the forked JVM after {@link #FORK_LIMIT}.
 */
public class HandOffBenchmarks {

    static final int ROUND_TRIPS_PER_BATCH = 10_000;
    static final int ITEMS_PER_BATCH = 100_000;
    static final int CAPACITY = 1024;
    static final Duration BATCH_LIMIT = Duration.ofSeconds(10);
    static final Duration JOIN_LIMIT = Duration.ofSeconds(5);
    static final Duration FORK_LIMIT = Duration.ofSeconds(120); // a healthy trial takes about 10 s

    /** The value handed over, allocated once. */
    static final Integer ITEM = 42;
    /** The last value of a buffered batch; compared by identity, so it must not be the cached {@code Integer} 42. */
    @SuppressWarnings("removal")
    static final Integer END = new Integer(-1);

    /** One direction of a hand-off: the queues' methods behind one name. */
    interface Pipe {
        void send(Integer value) throws InterruptedException;

        Integer receive() throws InterruptedException;
    }

    record QueuePipe(BlockingQueue<Integer> queue) implements Pipe {
        @Override
        public void send(Integer value) throws InterruptedException {
            queue.put(value);
        }

        @Override
        public Integer receive() throws InterruptedException {
            return queue.take();
        }
    }

    record TransferPipe(LinkedTransferQueue<Integer> queue) implements Pipe {
        @Override
        public void send(Integer value) throws InterruptedException {
            queue.transfer(value); // waits until a receiver has taken it, like an unbuffered channel
        }

        @Override
        public Integer receive() throws InterruptedException {
            return queue.take();
        }
    }

    record ChannelPipe(Channel<Integer> channel) implements Pipe {
        @Override
        public void send(Integer value) throws InterruptedException {
            channel.send(value);
        }

        @Override
        public Integer receive() throws InterruptedException {
            Received<Integer> r = channel.receive();
            if (!r.ok()) throw new IllegalStateException("the channel says it is closed, but nobody closed it");
            return r.value();
        }
    }

    /** An unbuffered pipe: the sender meets the receiver (ArrayBlockingQueue: capacity 1, the nearest it gets). */
    static Pipe unbuffered(String queue) {
        return switch (queue) {
            case "SynchronousQueue" -> new QueuePipe(new SynchronousQueue<>());
            case "ArrayBlockingQueue" -> new QueuePipe(new ArrayBlockingQueue<>(1));
            case "LinkedTransferQueue" -> new TransferPipe(new LinkedTransferQueue<>());
            case "Channel" -> new ChannelPipe(new Channel<>(0));
            default -> throw new IllegalArgumentException("unknown queue " + queue);
        };
    }

    /** A buffered pipe of {@link #CAPACITY} (LinkedTransferQueue: unbounded, put never blocks). */
    static Pipe buffered(String queue) {
        return switch (queue) {
            case "ArrayBlockingQueue" -> new QueuePipe(new ArrayBlockingQueue<>(CAPACITY));
            case "LinkedTransferQueue" -> new QueuePipe(new LinkedTransferQueue<>());
            case "Channel" -> new ChannelPipe(new Channel<>(CAPACITY));
            default -> throw new IllegalArgumentException("no buffered " + queue);
        };
    }

    /** A worker's endless loop; returning or being interrupted ends the worker. */
    interface Loop {
        void run() throws InterruptedException;
    }

    /**
     * Two worker threads of one kind and the conductor's handle on them: {@link #runBatch()} releases one batch and
     * waits, with a limit, until a worker calls {@link #batchDone()}.
     */
    static final class Pair {
        private final Thread.Builder builder;
        private final Semaphore start = new Semaphore(0);
        private final Semaphore done = new Semaphore(0);
        private final List<Thread> threads = new ArrayList<>();
        private volatile Throwable failure;

        Pair(String threadKind) {
            builder = switch (threadKind) {
                case "virtual" -> Thread.ofVirtual();
                case "platform" -> Thread.ofPlatform().daemon();
                default -> throw new IllegalArgumentException("unknown thread kind " + threadKind);
            };
        }

        /** Starts a worker running {@code loop}. */
        void start(String role, Loop loop) {
            threads.add(builder.name("handoff-" + role).start(() -> {
                try {
                    loop.run();
                } catch (InterruptedException e) {
                    // teardown: the normal way out
                } catch (Throwable t) {
                    failure = t;
                    done.release(); // wake the conductor now rather than after BATCH_LIMIT
                }
            }));
        }

        /** Called by the worker that starts each batch: waits for the conductor. */
        void awaitBatch() throws InterruptedException {
            start.acquire();
        }

        /** Called by the worker that sees the end of a batch. */
        void batchDone() {
            done.release();
        }

        /** The benchmark body: one batch, start to end. */
        void runBatch() throws InterruptedException {
            start.release();
            boolean finished = done.tryAcquire(BATCH_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            Throwable t = failure;
            if (t != null) throw new IllegalStateException("a worker thread failed: " + t, t);
            if (!finished) {
                throw new IllegalStateException("a batch did not finish within " + BATCH_LIMIT.toSeconds()
                        + " s: a hand-off is stuck (a lost wake-up?)");
            }
        }

        /** Interrupts the workers and joins them, each with a limit. */
        void stop() throws InterruptedException {
            for (Thread t : threads) t.interrupt();
            for (Thread t : threads) {
                if (!t.join(JOIN_LIMIT)) {
                    System.err.println("HandOffBenchmarks: " + t + " ignored its interrupt; left behind as a daemon");
                }
            }
        }
    }

    private static final AtomicBoolean WATCHDOG = new AtomicBoolean();

    /** Ends this forked JVM if a trial ever takes far longer than it should. */
    static void armForkWatchdog() {
        if (!WATCHDOG.compareAndSet(false, true)) return;
        Thread.ofPlatform().daemon().name("handoff-watchdog").start(() -> {
            try {
                Thread.sleep(FORK_LIMIT);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("HandOffBenchmarks: fork still running after " + FORK_LIMIT.toSeconds() + " s, halting");
            Runtime.getRuntime().halt(3);
        });
    }

    // ---- unbuffered ping-pong -----------------------------------------------------------------

    @State(Scope.Benchmark)
    public static class RoundTrip {
        @Param({"SynchronousQueue", "ArrayBlockingQueue", "LinkedTransferQueue", "Channel"})
        public String queue;

        @Param({"virtual", "platform"})
        public String threadKind;

        Pair pair;

        @Setup(Level.Trial)
        public void setUp() {
            armForkWatchdog();
            start();
        }

        /** Starts the pair; {@link HandOffLab} calls this directly to probe a Channel, without the watchdog. */
        void start() {
            Pipe ping = unbuffered(queue), pong = unbuffered(queue);
            Pair p = new Pair(threadKind);
            p.start("echo", () -> {
                while (true) pong.send(ping.receive());
            });
            p.start("pinger", () -> {
                while (true) {
                    p.awaitBatch();
                    for (int i = 0; i < ROUND_TRIPS_PER_BATCH; i++) {
                        ping.send(ITEM);
                        if (pong.receive() != ITEM) throw new IllegalStateException("the echo came back changed");
                    }
                    p.batchDone();
                }
            });
            pair = p;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            if (pair != null) pair.stop();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(ROUND_TRIPS_PER_BATCH)
    public void roundTrip(RoundTrip state) throws InterruptedException {
        state.pair.runBatch();
    }

    // ---- buffered, 1 producer 1 consumer ------------------------------------------------------

    @State(Scope.Benchmark)
    public static class Buffered {
        @Param({"ArrayBlockingQueue", "LinkedTransferQueue", "Channel"})
        public String queue;

        @Param({"virtual", "platform"})
        public String threadKind;

        Pair pair;

        @Setup(Level.Trial)
        public void setUp() {
            armForkWatchdog();
            start();
        }

        /** Starts the pair; {@link HandOffLab} calls this directly to probe a Channel, without the watchdog. */
        void start() {
            Pipe pipe = buffered(queue);
            Pair p = new Pair(threadKind);
            p.start("consumer", () -> {
                while (true) {
                    if (pipe.receive() == END) p.batchDone();
                }
            });
            p.start("producer", () -> {
                while (true) {
                    p.awaitBatch();
                    for (int i = 1; i < ITEMS_PER_BATCH; i++) pipe.send(ITEM);
                    pipe.send(END);
                }
            });
            pair = p;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            if (pair != null) pair.stop();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS) // values per microsecond = millions of values per second
    @OperationsPerInvocation(ITEMS_PER_BATCH)
    public void buffered(Buffered state) throws InterruptedException {
        state.pair.runBatch();
    }

    // ---- what the conducting costs ------------------------------------------------------------

    @State(Scope.Benchmark)
    public static class Harness {
        @Param({"virtual", "platform"})
        public String threadKind;

        Pair pair;

        @Setup(Level.Trial)
        public void setUp() {
            armForkWatchdog();
            start();
        }

        /** Starts the pair; {@link HandOffLab} calls this directly to probe a Channel, without the watchdog. */
        void start() {
            Pair p = new Pair(threadKind);
            p.start("idle", () -> {
                while (true) {
                    p.awaitBatch();
                    p.batchDone();
                }
            });
            pair = p;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            if (pair != null) pair.stop();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void harness(Harness state) throws InterruptedException {
        state.pair.runBatch();
    }
}
