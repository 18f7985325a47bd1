package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@Tag("02.6")
@DisplayName("02.6 Ping-pong over a SynchronousQueue")
class PingPongTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    /** What the players report: each hit, and the thread that made it. */
    private static final class Table implements Consumer<String> {
        final List<String> hits = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> pingers = ConcurrentHashMap.newKeySet();
        final Set<Thread> pongers = ConcurrentHashMap.newKeySet();

        @Override
        public void accept(String hit) {
            (hit.startsWith("ping") ? pingers : pongers).add(Thread.currentThread());
            hits.add(hit);
        }
    }

    private static List<String> rally(int rounds) {
        return IntStream.rangeClosed(1, rounds).boxed()
                .flatMap(i -> List.of("ping " + i, "pong " + i).stream())
                .toList();
    }

    private static Table play(int rounds) throws InterruptedException {
        Table table = new Table();
        Background<Void> game = Background.run("[02.6] play(" + rounds + ")", () -> PingPong.play(rounds, table));
        try {
            game.await(PATIENCE);
        } finally {
            game.thread().interrupt();
            game.join(PATIENCE);
        }
        return table;
    }

    @Test
    @DisplayName("the hits alternate, ping then pong, and every round is played")
    void theHitsAlternateAndEveryRoundIsPlayed() throws InterruptedException {
        Table table = play(500);

        List<String> hits = List.copyOf(table.hits);
        List<String> expected = rally(500);
        int firstWrong = IntStream.range(0, Math.min(hits.size(), expected.size()))
                .filter(i -> !hits.get(i).equals(expected.get(i))).findFirst().orElse(-1);
        assertThat(firstWrong)
                .as("[02.6] hit #%d was \"%s\", expected \"%s\": a player may hit only while it holds the ball, "
                    + "and must wait until the other hands it back (README 02.6)", firstWrong + 1,
                    firstWrong < 0 ? "" : hits.get(firstWrong), firstWrong < 0 ? "" : expected.get(firstWrong))
                .isEqualTo(-1);
        assertThat(hits)
                .as("[02.6] play(500) returned after %d hits, expected 1,000: it must return only after the last pong "
                    + "(README 02.6)", hits.size())
                .hasSize(expected.size());
    }

    @Test
    @DisplayName("pings come from one virtual thread and pongs from another")
    void pingsAndPongsComeFromTwoVirtualThreads() throws InterruptedException {
        Table table = play(50);

        assertThat(table.hits)
                .as("[02.6] play(50) returned after %d hits, expected 100 (README 02.6)", table.hits.size())
                .hasSize(100);
        assertThat(table.pingers)
                .as("[02.6] every ping should come from the same thread, saw %d threads (README 02.6)",
                    table.pingers.size())
                .hasSize(1);
        assertThat(table.pongers)
                .as("[02.6] every pong should come from the same thread, saw %d threads (README 02.6)",
                    table.pongers.size())
                .hasSize(1);
        assertThat(table.pingers)
                .as("[02.6] pings and pongs came from the same thread: start two players, one for each side "
                    + "(README 02.6)")
                .doesNotContainAnyElementsOf(table.pongers);
        assertThat(List.of(table.pingers.iterator().next(), table.pongers.iterator().next()))
                .as("[02.6] both players should be virtual threads (Thread.ofVirtual()), the Java goroutines "
                    + "(README 02.6)")
                .allMatch(Thread::isVirtual);
    }

    @Test
    @DisplayName("returns only after both players have ended")
    void returnsOnlyAfterBothPlayersHaveEnded() throws InterruptedException {
        Table table = play(20);

        assertThat(table.hits)
                .as("[02.6] play(20) returned after %d hits, expected 40 (README 02.6)", table.hits.size())
                .hasSize(40);
        Thread pinger = table.pingers.iterator().next();
        Thread ponger = table.pongers.iterator().next();
        assertThat(List.of(pinger.getState(), ponger.getState()))
                .as("[02.6] when play returns, both players should have ended (ping: %s, pong: %s): "
                    + "wait for both threads, join() them (README 02.6)", pinger.getState(), ponger.getState())
                .containsOnly(Thread.State.TERMINATED);
    }

    @Test
    @DisplayName("zero rounds: nobody hits, and play returns")
    void zeroRounds() throws InterruptedException {
        Table table = play(0);

        assertThat(table.hits)
                .as("[02.6] play(0) should not hit at all, hits were %s (README 02.6)", table.hits)
                .isEmpty();
    }

    @Test
    @DisplayName("a negative number of rounds is rejected")
    void negativeRoundsAreRejected() {
        assertThat(catchThrowable(() -> PingPong.play(-1, hit -> { })))
                .as("[02.6] play(-1) should throw IllegalArgumentException (README 02.6)")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
