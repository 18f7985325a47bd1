package workshop.channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Exercise 02.5: Select
 *
 * <p>Wait on several channel operations at once and run the one that happens: Go's {@code select}.
 *
 * <pre>{@code
 * select {
 * case job, ok := <-jobs:           // .receive(jobs, r -> ...)
 * case results <- r:                // .send(results, r, () -> ...)
 * case <-time.After(time.Second):   // .orTimeout(Duration.ofSeconds(1), () -> ...)
 * default:                          // .orDefault(() -> ...)
 * }
 * }</pre>
 *
 * <p>Build the cases, then {@link #run()}; a {@code Select} runs once. A {@code null} channel is Go's nil channel: its
 * case is never ready.
 *
 * <p>Memory consistency effects: those of the channel operation that the chosen case performed.
 *
 * @param <R> what the chosen case's action returns
 */
public final class Select<R> {

    /** One case: a receive, or a send of {@code value}; {@code channel} may be null (never ready). */
    record Case<R>(Channel<Object> channel, boolean isSend, Object value,
                   Function<Received<Object>, R> onReceive, Supplier<R> onSend) {
    }

    private final List<Case<R>> cases = new ArrayList<>();
    private Supplier<R> orDefault;
    private Duration timeout;
    private Supplier<R> onTimeout;

    private Select() {
    }

    /** Starts a select whose cases return an {@code R}. */
    public static <R> Select<R> select() {
        return new Select<>();
    }

    /** Adds {@code case v, ok := <-channel:}; {@code then} gets what was received (on a closed channel, not ok). */
    @SuppressWarnings("unchecked")
    public <T> Select<R> receive(Channel<T> channel, Function<Received<T>, R> then) {
        Objects.requireNonNull(then, "then");
        cases.add(new Case<>((Channel<Object>) channel, false, null,
                received -> then.apply((Received<T>) received), null));
        return this;
    }

    /** Adds {@code case channel <- value:}; {@code then} runs after the value was sent. */
    @SuppressWarnings("unchecked")
    public <T> Select<R> send(Channel<T> channel, T value, Supplier<R> then) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(then, "then");
        cases.add(new Case<>((Channel<Object>) channel, true, value, null, then));
        return this;
    }

    /** Adds {@code default:} — it runs when no case is ready at once, and then nothing waits. */
    public Select<R> orDefault(Supplier<R> then) {
        this.orDefault = Objects.requireNonNull(then, "then");
        return this;
    }

    /**
     * Adds {@code case <-time.After(timeout):} — it runs when no case became ready within {@code timeout}. A zero or
     * negative timeout runs it unless a case is ready at once; a timeout too long to count in nanoseconds (292 years
     * or more, such as {@code ChronoUnit.FOREVER.getDuration()}) never runs it.
     */
    public Select<R> orTimeout(Duration timeout, Supplier<R> then) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.onTimeout = Objects.requireNonNull(then, "then");
        return this;
    }

    /**
     * Performs exactly one case and returns what its action returns. If several cases are ready, one is chosen at
     * random, each with the same chance. If none is ready: with a default, runs it at once; otherwise blocks until
     * one is ready, or until the timeout if there is one. A receive case on a closed channel is ready (it receives
     * {@link Received#closed()}); a send case on a closed channel throws, as {@link Channel#send} does. The cases
     * that were not chosen leave nothing behind on their channels: no value sent, none taken, no one waiting.
     * The chosen case's action runs in the calling thread, after the channel operation.
     *
     * @throws InterruptedException   if interrupted while waiting; no case was then performed
     * @throws ChannelClosedException if the chosen send case's channel is closed
     */
    public R run() throws InterruptedException {
        long start = System.nanoTime(); // time.After(d) starts its timer before the select looks at any case
        List<Channel<Object>> locking = cases.stream().map(Case::channel).filter(Objects::nonNull).distinct()
                .sorted(Comparator.comparingLong(channel -> channel.id)) // one global order: no lock cycles
                .toList();
        Waiter waiter = null;
        Waiter.Entry[] entries = new Waiter.Entry[cases.size()];
        Supplier<R> ready = null;
        lockAll(locking);
        try {
            // pass 1: is a case ready now? Look in a random order, so that no ready case is favoured
            for (int index : shuffledIndexes()) {
                Case<R> c = cases.get(index);
                if (c.channel() == null) {
                    continue; // a nil channel is never ready
                }
                if (c.isSend()) {
                    if (c.channel().offerLocked(c.value())) {
                        ready = c.onSend();
                        break;
                    }
                } else {
                    Received<Object> received = c.channel().pollLocked();
                    if (received != null) {
                        ready = () -> c.onReceive().apply(received);
                        break;
                    }
                }
            }
            if (ready == null && orDefault != null) {
                ready = orDefault;
            }
            if (ready == null) {
                // pass 2: wait on every case at once; the first counterpart to claim the waiter chooses the case
                waiter = new Waiter();
                for (int i = 0; i < cases.size(); i++) {
                    Case<R> c = cases.get(i);
                    if (c.channel() != null) {
                        entries[i] = new Waiter.Entry(waiter, i, c.value());
                        c.channel().enqueueLocked(entries[i], c.isSend());
                    }
                }
            }
        } finally {
            unlockAll(locking);
        }
        if (ready != null) {
            return ready.get(); // an action may use channels: it never runs under a channel's lock
        }

        int chosen;
        try {
            chosen = waiter.await(start, timeout == null ? Long.MAX_VALUE : saturatedNanos(timeout));
        } finally {
            // the cases not chosen let go: no stale waiter stays queued on any channel
            lockAll(locking);
            try {
                for (int i = 0; i < entries.length; i++) {
                    if (entries[i] != null) {
                        cases.get(i).channel().removeLocked(entries[i]);
                    }
                }
            } finally {
                unlockAll(locking);
            }
        }
        if (chosen == Waiter.TIMED_OUT) {
            return onTimeout.get();
        }
        Case<R> c = cases.get(chosen);
        if (c.isSend()) {
            if (waiter.closed()) {
                throw new ChannelClosedException("send on closed channel");
            }
            return c.onSend().get();
        }
        return c.onReceive().apply(waiter.closed() ? Received.closed() : Received.of(waiter.received()));
    }

    /**
     * {@code timeout} in nanoseconds, at least 0; {@code Long.MAX_VALUE} (292 years: never) for any timeout that
     * long or longer, such as {@code ChronoUnit.FOREVER.getDuration()}, whose {@code toNanos()} would overflow.
     */
    private static long saturatedNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        return timeout.compareTo(NEVER) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
    }

    private static final Duration NEVER = Duration.ofNanos(Long.MAX_VALUE);

    private int[] shuffledIndexes() {
        int[] order = new int[cases.size()];
        for (int i = 0; i < order.length; i++) {
            int j = ThreadLocalRandom.current().nextInt(i + 1); // Fisher–Yates, inside out
            order[i] = order[j];
            order[j] = i;
        }
        return order;
    }

    private static void lockAll(List<Channel<Object>> channels) {
        channels.forEach(channel -> channel.lock.lock());
    }

    private static void unlockAll(List<Channel<Object>> channels) {
        for (int i = channels.size() - 1; i >= 0; i--) {
            channels.get(i).lock.unlock();
        }
    }
}
