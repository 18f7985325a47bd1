package workshop.channels.examples;

import workshop.channels.Channel;
import workshop.channels.Poll;
import workshop.channels.Received;
import workshop.channels.Select;

import java.time.Duration;

/**
 * Go's channel statements next to this module's {@link Channel} and {@link Select}. It runs once you have solved
 * exercises 02.1 to 02.5; before that the first call stops with {@code NotSolvedYet}.
 */
public final class ChannelTour {

    private ChannelTour() {
    }

    static void unbuffered() throws InterruptedException {
        // tag::unbuffered[]
        Channel<String> ch = new Channel<>(0);                 // ch := make(chan string)
        Thread.ofVirtual().start(() -> send(ch, "hi"));        // go func() { ch <- "hi" }()
        Received<String> received = ch.receive();              // v, ok := <-ch
        System.out.println(received.value() + " " + received.ok()); // hi true
        // end::unbuffered[]
    }

    static void closeAndRange() throws InterruptedException {
        // tag::close-range[]
        Channel<Integer> squares = new Channel<>(4);           // squares := make(chan int, 4)
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 1; i <= 10; i++) {
                    squares.send(i * i);                       // waits while 4 values are buffered
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                squares.close();                               // defer close(squares): the sender closes
            }
        });
        for (int square : squares) {                           // for square := range squares
            System.out.println(square);                        // ends once the channel is closed and drained
        }
        // end::close-range[]
    }

    static void withoutBlocking(Channel<String> events) {
        int dropped = 0;
        // tag::try-ops[]
        if (!events.trySend("tick")) {      // select { case events <- "tick": default: dropped++ }
            dropped++;
        }
        switch (events.tryReceive()) {      // select { case e, ok := <-events: ... default: ... }
            case Poll.Value<String>(String event) -> System.out.println("got " + event);
            case Poll.WouldBlock<String>() -> System.out.println("nothing yet");
            case Poll.Closed<String>() -> System.out.println("closed and drained");
        }
        // end::try-ops[]
        System.out.println("dropped " + dropped);
    }

    static String selectOnce(Channel<String> jobs, Channel<String> results) throws InterruptedException {
        // tag::select[]
        return Select.<String>select()
                .receive(jobs, job -> job.ok() ? "job " + job.value() : "no more jobs") // case job, ok := <-jobs:
                .send(results, "result 1", () -> "sent result 1")            // case results <- "result 1":
                .orTimeout(Duration.ofSeconds(1), () -> "idle for a second") // case <-time.After(time.Second):
                .run();                                                       // no default: block until one is ready
        // end::select[]
    }

    // tag::nil-channel[]
    record From(boolean first, Received<Integer> received) {
    }

    static int sumBoth(Channel<Integer> a, Channel<Integer> b) throws InterruptedException {
        int sum = 0;
        while (a != null || b != null) {
            From next = Select.<From>select()
                    .receive(a, received -> new From(true, received))  // a == null: this case is never ready
                    .receive(b, received -> new From(false, received))
                    .run();
            if (next.received().ok()) {
                sum += next.received().value();
            } else if (next.first()) {
                a = null;                                              // a is closed and drained: stop asking it
            } else {
                b = null;
            }
        }
        return sum;
    }
    // end::nil-channel[]

    private static <T> void send(Channel<T> channel, T value) {
        try {
            channel.send(value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        unbuffered();
        closeAndRange();
        withoutBlocking(new Channel<>(1));

        Channel<String> jobs = new Channel<>(1);
        Channel<String> results = new Channel<>(0);
        jobs.send("42");
        System.out.println(selectOnce(jobs, results));

        Channel<Integer> a = new Channel<>(3);
        Channel<Integer> b = new Channel<>(3);
        for (int i = 1; i <= 3; i++) {
            a.send(i);
            b.send(10 * i);
        }
        a.close();
        b.close();
        System.out.println("sum " + sumBoth(a, b));
    }
}
