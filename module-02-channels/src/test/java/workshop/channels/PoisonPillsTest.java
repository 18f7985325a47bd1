package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.awaitWaiting;

@Tag("02.8")
@DisplayName("02.8 Poison pills")
class PoisonPillsTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    /** Records every item handled and the thread that handled it. */
    private static class Recorder<T> implements Consumer<T> {
        final List<T> handled = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void accept(T item) {
            threads.add(Thread.currentThread());
            handled.add(item);
        }
    }

    /** Holds the first {@code expected} calls until that many are in flight at once; gives up after a while. */
    private static final class InFlightProbe extends Recorder<Integer> {
        final int expected;
        final CountDownLatch allIn;
        final AtomicInteger calls = new AtomicInteger();
        volatile int sawWhenGivingUp = -1;

        InFlightProbe(int expected) {
            this.expected = expected;
            this.allIn = new CountDownLatch(expected);
        }

        @Override
        public void accept(Integer item) {
            super.accept(item);
            if (calls.incrementAndGet() > expected || sawWhenGivingUp >= 0) {
                return;
            }
            allIn.countDown();
            try {
                if (!allIn.await(Patience.seconds(3).toMillis(), TimeUnit.MILLISECONDS)) {
                    sawWhenGivingUp = expected - (int) allIn.getCount();
                    while (allIn.getCount() > 0) {
                        allIn.countDown(); // let the others through: the test has failed already
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Integer> upTo(int size) {
        return IntStream.range(0, size).boxed().toList();
    }

    private static <T> void process(String description, List<T> items, int consumers, Consumer<? super T> handler)
            throws InterruptedException {
        Background<Void> call = Background.run("[02.8] " + description + ": process returns when every consumer has "
                + "ended; did each consumer get a pill of its own? (README 02.8)",
                () -> PoisonPills.process(items, consumers, handler));
        try {
            call.await(PATIENCE);
        } finally {
            call.thread().interrupt();
            call.join(PATIENCE);
        }
    }

    @Test
    @DisplayName("every item is handled exactly once")
    void everyItemIsHandledExactlyOnce() throws InterruptedException {
        Recorder<Integer> handler = new Recorder<>();
        process("process(1,000 items, 4 consumers)", upTo(1_000), 4, handler);

        List<Integer> handled = new ArrayList<>(handler.handled);
        Collections.sort(handled);
        assertThat(handled)
                .as("[02.8] every item should be handled exactly once by the time process returns: %d handled "
                    + "(README 02.8)", handled.size())
                .containsExactlyElementsOf(upTo(1_000));
    }

    @Test
    @DisplayName("the consumers handle items at the same time, each on a thread of its own")
    void theConsumersWorkAtTheSameTime() throws InterruptedException {
        InFlightProbe handler = new InFlightProbe(4);
        process("process(100 items, 4 consumers)", upTo(100), 4, handler);

        assertThat(handler.sawWhenGivingUp)
                .as("[02.8] expected 4 handlers in flight at once, saw %d: start every consumer before feeding, "
                    + "each on a thread of its own (README 02.8)", handler.sawWhenGivingUp)
                .isEqualTo(-1);
        assertThat(handler.threads)
                .as("[02.8] the items should be handled by exactly 4 consumer threads, saw %d (README 02.8)",
                    handler.threads.size())
                .hasSize(4);
        assertThat(handler.handled)
                .as("[02.8] every item should be handled exactly once (README 02.8)")
                .containsExactlyInAnyOrderElementsOf(upTo(100));
    }

    @Test
    @DisplayName("every consumer stops, even with more consumers than items")
    void everyConsumerStops() throws InterruptedException {
        Recorder<Integer> handler = new Recorder<>();
        process("process(2 items, 8 consumers)", upTo(2), 8, handler);
        process("process(no items, 3 consumers)", List.of(), 3, handler);

        assertThat(handler.handled)
                .as("[02.8] both items should be handled, once each (README 02.8)")
                .containsExactlyInAnyOrder(0, 1);
    }

    /**
     * Three consumers each hold their first item until the test lets them go. In round k the test lets go of every
     * consumer but the k-th (in the order they were started) and waits until those have ended: process must go on
     * waiting for the one still busy. So a process that waits for only some of its consumers (the last one started,
     * say) fails in the round that keeps one of the others busy.
     */
    @Test
    @DisplayName("returns only after the last consumer has finished its item, whichever consumer that is")
    void returnsOnlyAfterTheLastConsumerHasFinished() throws InterruptedException {
        for (int busy = 0; busy < 3; busy++) {
            assertProcessWaitsForConsumer(busy);
        }
    }

    private static void assertProcessWaitsForConsumer(int busy) throws InterruptedException {
        Map<Thread, CountDownLatch> holds = new ConcurrentHashMap<>();
        Recorder<Integer> handler = new Recorder<>() {
            @Override
            public void accept(Integer item) {
                super.accept(item);
                CountDownLatch hold = holds.computeIfAbsent(Thread.currentThread(), t -> new CountDownLatch(1));
                try {
                    hold.await(); // each consumer stays with its first item until the test lets go
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Background<Void> call = Background.run("[02.8] process(3 items, 3 consumers), each consumer busy with its "
                + "item until the test lets go", () -> PoisonPills.process(upTo(3), 3, handler));
        List<Background<Void>> joins = new ArrayList<>();
        try {
            await("[02.8] the 3 consumers to take an item each").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .failFast("[02.8] process returned while its 3 consumers were busy with their items: it should "
                              + "return only when every consumer has ended; wait for them (README 02.8)", () -> {
                        call.rethrowIfFailed();
                        return call.isDone();
                    })
                    .until(() -> holds.size() == 3);
            List<Thread> consumers = holds.keySet().stream().sorted(Comparator.comparingLong(Thread::threadId))
                    .toList(); // the order they were started in
            Thread stillBusy = consumers.get(busy);
            Set<String> endedJoins = new HashSet<>();
            for (Thread consumer : consumers) {
                if (consumer != stillBusy) {
                    Background<Void> join = Joins.joining(consumer, "02.8", "a consumer");
                    joins.add(join);
                    endedJoins.add(Joins.joinOf(join));
                    holds.get(consumer).countDown();
                }
            }
            await("[02.8] the 2 consumers let go of to take their pills and end").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> consumers.stream().filter(c -> c != stillBusy)
                            .allMatch(c -> c.getState() == Thread.State.TERMINATED));
            await("[02.8] process to return, or to wait for the consumer still busy").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2)).until(() -> Joins.settled(call, endedJoins));
            call.rethrowIfFailed();
            assertThat(call.isDone())
                    .as("[02.8] process returned while a consumer (the %s of 3 started) was still handling its item: "
                        + "it should return only when every consumer has ended; wait for each of them (README 02.8)",
                        busy == 0 ? "1st" : busy == 1 ? "2nd" : "3rd")
                    .isFalse();
            holds.get(stillBusy).countDown();
            call.await(PATIENCE);
        } finally {
            holds.values().forEach(CountDownLatch::countDown);
            call.thread().interrupt();
            call.join(PATIENCE);
            for (Background<Void> join : joins) {
                join.thread().interrupt();
                join.join(PATIENCE);
            }
        }
    }

    @Test
    @DisplayName("an interrupted process throws InterruptedException, and every consumer stops")
    void anInterruptedProcessStopsEveryConsumer() throws InterruptedException {
        Set<Thread> holding = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        Recorder<Integer> handler = new Recorder<>() {
            @Override
            public void accept(Integer item) {
                super.accept(item);
                holding.add(Thread.currentThread());
                try {
                    release.await(); // busy until the consumer is interrupted
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Background<String> call = Background.call("[02.8] process(3 items, 3 consumers), interrupted while the "
                + "consumers are busy", () -> {
                    try {
                        PoisonPills.process(upTo(3), 3, handler);
                        return "returned";
                    } catch (InterruptedException e) {
                        return "interrupted";
                    }
                });
        try {
            await("[02.8] the 3 consumers to take an item each").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .failFast("[02.8] process returned while its 3 consumers were busy with their items: it should "
                              + "return only when every consumer has ended; wait for them (README 02.8)", () -> {
                        call.rethrowIfFailed();
                        return call.isDone();
                    })
                    .until(() -> holding.size() == 3);
            awaitWaiting(call, "02.8", "process returned while its 3 consumers were busy with their items");

            call.thread().interrupt();
            assertThat(call.await(PATIENCE))
                    .as("[02.8] process, interrupted while it waits for its consumers, should throw "
                        + "InterruptedException (README 02.8)")
                    .isEqualTo("interrupted");
            await("[02.8] every consumer to stop after process was interrupted: process must interrupt its "
                  + "consumers, and a consumer that is interrupted must stop (README 02.8)")
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .until(() -> holding.stream().allMatch(t -> t.getState() == Thread.State.TERMINATED));
        } finally {
            release.countDown();
            call.thread().interrupt();
            call.join(PATIENCE);
        }
    }

    /** An item that claims to equal everything, a pill included. */
    private record Chameleon(String name) {
        @Override
        public boolean equals(Object other) {
            return true;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    @Test
    @DisplayName("an item is never taken for a pill, even one that claims to equal everything")
    void anItemIsNeverTakenForAPill() throws InterruptedException {
        List<Chameleon> items = List.of(new Chameleon("a"), new Chameleon("b"), new Chameleon("c"));
        Recorder<Chameleon> handler = new Recorder<>();
        process("process(3 items whose equals() always says true, 2 consumers)", items, 2, handler);

        assertThat(handler.handled.stream().map(Chameleon::name).sorted().toList())
                .as("[02.8] every item should be handled, even one whose equals() says it is the pill: recognise "
                    + "the pill by identity (==), with a pill no caller can make (README 02.8)")
                .containsExactly("a", "b", "c");
    }

    /**
     * Every String constant of {@link PoisonPills} (and of its nested classes), as the class files hold them, and
     * the value of every static String field: whatever the pill is, if it is a String, it is among these.
     */
    private static Set<String> stringsOfPoisonPills() throws Exception {
        Set<String> strings = new TreeSet<>();
        for (Class<?> type : PoisonPills.class.getNestMembers()) {
            String resource = "/" + type.getName().replace('.', '/') + ".class";
            try (InputStream in = PoisonPills.class.getResourceAsStream(resource)) {
                if (in != null) {
                    for (PoolEntry entry : ClassFile.of().parse(in.readAllBytes()).constantPool()) {
                        if (entry instanceof StringEntry string) {
                            strings.add(string.stringValue());
                        }
                    }
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && field.trySetAccessible() && field.get(null) instanceof String value) {
                    strings.add(value);
                }
            }
        }
        return strings;
    }

    @Test
    @DisplayName("an item that equals the pill is still an item: only the pill itself ends a consumer")
    void anItemThatEqualsThePillIsAnItem() throws Exception {
        // each String the class holds, twice: as the very object a caller's literal is (literals are interned), and
        // as an equal String that is another object
        List<String> sent = new ArrayList<>(List.of(new String("first")));
        Map<String, String> what = new IdentityHashMap<>();
        for (String constant : stringsOfPoisonPills()) {
            String literal = constant.intern();
            String lookalike = new String(constant);
            sent.addAll(List.of(literal, lookalike));
            what.put(literal, "the String literal \"" + constant + "\", the very same object as every \"" + constant
                    + "\" in the program (literals are interned): a caller can send it, so a literal is no pill");
            what.put(lookalike, "a String equal to \"" + constant + "\" (a constant in PoisonPills) but another "
                    + "object: a pill compared with equals() takes it for the pill");
        }
        sent.add(new String("last"));
        Recorder<String> handler = new Recorder<>();
        process("process(" + sent.size() + " Strings, among them every String of PoisonPills, 2 consumers)", sent, 2,
                handler);

        Map<String, Integer> handled = new IdentityHashMap<>();
        for (String item : List.copyOf(handler.handled)) {
            handled.merge(item, 1, Integer::sum);
        }
        List<String> lookalikesFirst = new ArrayList<>(sent); // the equals() mistake first, then the literal one
        lookalikesFirst.sort(Comparator.comparing(item -> what.getOrDefault(item, "").startsWith("the String")));
        for (String item : lookalikesFirst) {
            assertThat(handled.getOrDefault(item, 0))
                    .as("[02.8] an item was handled %d times instead of once: %s. A producer may send any value; "
                        + "only the pill itself may end a consumer: compare with ==, against an object no caller "
                        + "can have, such as a private new Object() (README 02.8)", handled.getOrDefault(item, 0),
                        what.getOrDefault(item, "\"" + item + "\""))
                    .isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a null item is rejected before anything is handled")
    void aNullItemIsRejected() {
        Recorder<String> handler = new Recorder<>();
        assertThat(catchThrowable(() -> PoisonPills.process(Arrays.asList("a", null, "c"), 2, handler)))
                .as("[02.8] an item that is null should be rejected with NullPointerException (README 02.8)")
                .isInstanceOf(NullPointerException.class);
        assertThat(handler.handled)
                .as("[02.8] with a null item nothing should be handled: check the items before you start")
                .isEmpty();
    }

    @Test
    @DisplayName("fewer than one consumer is rejected")
    void fewerThanOneConsumerIsRejected() {
        assertThat(catchThrowable(() -> PoisonPills.process(List.of(1), 0, item -> { })))
                .as("[02.8] process(..., 0 consumers, ...) should throw IllegalArgumentException (README 02.8)")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
