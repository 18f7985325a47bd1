package workshop.channels.examples;

import workshop.channels.Channel;
import workshop.channels.Select;

import java.util.List;

/**
 * The commonest goroutine leak, in Java: a sender that nobody receives from any more. The fix is Go's: a done
 * channel that the receiver closes when it leaves, and a select in the sender. It runs once 02.1 to 02.5 are solved.
 */
public final class SenderLeak {

    private SenderLeak() {
    }

    // tag::leak[]
    static String firstMatchLeaky(List<String> lines, String word) throws InterruptedException {
        Channel<String> matches = new Channel<>(0);
        Thread.ofVirtual().start(() -> {
            for (String line : lines) {
                if (line.contains(word)) {
                    send(matches, line); // the second match waits here forever: nobody receives again
                }
            }
            matches.close();
        });
        return matches.receive().value(); // takes the first match (or null once closed) and leaves
    }
    // end::leak[]

    // tag::done-channel[]
    static String firstMatch(List<String> lines, String word) throws InterruptedException {
        Channel<String> matches = new Channel<>(0);
        Channel<Void> done = new Channel<>(0);            // closed by the receiver when it leaves
        Thread.ofVirtual().start(() -> {
            try {
                for (String line : lines) {
                    if (line.contains(word)) {
                        boolean receiverLeft = Select.<Boolean>select()
                                .send(matches, line, () -> false)   // case matches <- line:
                                .receive(done, closed -> true)      // case <-done: return
                                .run();
                        if (receiverLeft) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                matches.close();
            }
        });
        try {
            return matches.receive().value();
        } finally {
            done.close();                                 // defer close(done)
        }
    }
    // end::done-channel[]

    private static <T> void send(Channel<T> channel, T value) {
        try {
            channel.send(value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> lines = List.of("a cat", "a dog", "two cats");
        System.out.println(firstMatch(lines, "cat"));
        System.out.println(firstMatchLeaky(lines, "cat") + " (and one thread is now stuck for good)");
    }
}
