package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.awaitWatching;
import static workshop.support.testing.Parked.stop;

@Tag("02.10")
@DisplayName("02.10 Fan-in")
class FanInTest {

    /** {@code FanIn.merge(inputs)}, which must return at once: the forwarding runs on threads of its own. */
    private static <T> Channel<T> merge(List<Channel<T>> inputs) throws InterruptedException {
        return Background.call("[02.10] merge(" + inputs.size() + " inputs): it must return the output at once, "
                + "while the forwarding runs on threads of its own (README 02.10)", () -> FanIn.merge(inputs))
                .await(PATIENCE);
    }

    @Test
    @DisplayName("passes on every value of every input exactly once, each input's values in their order")
    void passesOnEveryValueOnce() throws InterruptedException {
        List<Channel<String>> inputs = List.of(new Channel<>(0), new Channel<>(0), new Channel<>(3));
        Channel<String> out = merge(inputs);
        List<Background<Void>> producers = new ArrayList<>();
        for (int p = 0; p < inputs.size(); p++) {
            Channel<String> input = inputs.get(p);
            String name = "in" + p;
            producers.add(Background.run("[02.10] producer " + name, () -> {
                for (int i = 0; i < 500; i++) {
                    input.send(name + ":" + i);
                }
                input.close();
            }));
        }
        try {
            List<String> merged = awaitWatching("02.10", "the loop over the merged channel did not end: is the "
                    + "output closed once every input is closed and drained?",
                        Background.call("[02.10] range over the merged channel", () -> {
                List<String> values = new ArrayList<>();
                for (String value : out) {
                    values.add(value);
                }
                return values;
            }), producers.toArray(Background[]::new));

            Map<String, List<Integer>> byInput = merged.stream().collect(Collectors.groupingBy(
                    v -> v.substring(0, v.indexOf(':')),
                    Collectors.mapping(v -> Integer.parseInt(v.substring(v.indexOf(':') + 1)), Collectors.toList())));
            assertThat(merged)
                    .as("[02.10] every value of three inputs of 500 should come out exactly once; %d came out before "
                        + "the output was closed: it may close only when every input is closed and drained, so only "
                        + "the last forwarder to finish may close it (README 02.10)", merged.size())
                    .hasSize(1_500)
                    .doesNotHaveDuplicates();
            assertThat(byInput.values()).as("[02.10] the values of each input, in the order they came out")
                    .allSatisfy(values -> assertThat(values).isSortedAccordingTo(Integer::compare));
        } finally {
            stop(producers.toArray(Background[]::new));
        }
    }

    @Test
    @DisplayName("reads every input at the same time: a quiet input does not hold back the others")
    void readsEveryInputAtTheSameTime() throws InterruptedException {
        Channel<String> quiet = new Channel<>(0);
        Channel<String> busy = new Channel<>(0);
        Channel<String> out = merge(List.of(quiet, busy));
        Background<Void> sender = Background.run("[02.10] send(\"from busy\") on the second input",
                () -> busy.send("from busy"));
        Background<Received<String>> receiver = Background.call("[02.10] receive() from the merged channel",
                out::receive);
        try {
            await("[02.10] a value sent on the second input to come out while the first input stays open and quiet: "
                  + "read every input at the same time, not one after the other (README 02.10)")
                    .atMost(PATIENCE).until(() -> {
                        sender.rethrowIfFailed();
                        receiver.rethrowIfFailed();
                        return receiver.isDone();
                    });
            assertThat(receiver.await(PATIENCE)).as("[02.10] the value that came out")
                    .isEqualTo(Received.of("from busy"));
        } finally {
            quiet.close();
            busy.close();
            stop(sender, receiver);
        }
    }

    @Test
    @DisplayName("closes the output exactly when the last input is closed and drained")
    void closesWhenTheLastInputCloses() throws InterruptedException {
        Channel<String> a = new Channel<>(0);
        Channel<String> b = new Channel<>(2);
        Channel<String> c = new Channel<>(0);
        Channel<String> out = merge(List.of(a, b, c));
        b.send("left in b");
        a.close();
        b.close();

        Received<String> first = Background.call("[02.10] receive() from the merged channel, with input b closed "
                + "but still holding a value", out::receive).await(PATIENCE);
        assertThat(first)
                .as("[02.10] the first receive from the merged channel gave %s; expected the value still buffered in "
                    + "the closed input b. The output may close only when every input is closed and drained: only "
                    + "the last forwarder to finish may close it (README 02.10)", first)
                .isEqualTo(Received.of("left in b"));

        Background<Received<String>> receiver = Background.call("[02.10] receive() while one input is open",
                out::receive);
        try {
            awaitWaiting(receiver, "02.10", "the merged channel answered although one input is still open and "
                    + "nothing more was sent: it must stay open until every input is closed and drained, so only the "
                    + "last forwarder to finish may close it");
            c.close();
            assertThat(receiver.await(PATIENCE))
                    .as("[02.10] once every input is closed and drained, the merged channel is closed")
                    .isEqualTo(Received.closed());
        } finally {
            stop(receiver);
        }
    }

    @Test
    @DisplayName("with no inputs gives a channel that is closed already")
    void noInputsGiveAClosedChannel() throws InterruptedException {
        Channel<String> out = merge(List.of());

        assertThat(Background.call("[02.10] receive() from a merge of no inputs: a merge of no inputs has nothing "
                + "to wait for, so its output should be closed already (README 02.10)", out::receive).await(PATIENCE))
                .as("[02.10] a merge of no inputs has nothing to wait for: it should be closed")
                .isEqualTo(Received.closed());
    }
}
