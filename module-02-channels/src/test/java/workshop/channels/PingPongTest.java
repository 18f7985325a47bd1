package workshop.channels;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;
import workshop.support.testing.Background;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static workshop.support.testing.Parked.awaitWaiting;
import static workshop.support.testing.Parked.isParked;
import static workshop.support.testing.Parked.stop;

@Tag("02.6")
@DisplayName("02.6 Ping-pong over a SynchronousQueue")
class PingPongTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    /**
     * What the players report: each hit, and the thread that made it. The player that makes the hit {@code holdAt}
     * stays in it until the test releases it (or interrupts it: then it returns with its interrupt flag set).
     */
    private static final class Table implements Consumer<String> {
        final List<String> hits = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> pingers = ConcurrentHashMap.newKeySet();
        final Set<Thread> pongers = ConcurrentHashMap.newKeySet();
        final String holdAt;
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Table() {
            this(null);
        }

        Table(String holdAt) {
            this.holdAt = holdAt;
        }

        @Override
        public void accept(String hit) {
            (hit.startsWith("ping") ? pingers : pongers).add(Thread.currentThread());
            hits.add(hit);
            if (hit.equals(holdAt)) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        Thread pinger() {
            return pingers.iterator().next();
        }

        Thread ponger() {
            return pongers.iterator().next();
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

    /**
     * One player ends early and the other can never finish: play must go on waiting for the one still there. The
     * test holds the hit {@code holdAt} (made by the player that will be stuck), interrupts the other player while it
     * waits for the ball (it must end), then releases the held player, whose next hand-off finds nobody: it waits
     * for ever. A play that waits for both players keeps waiting; one that waits only for the player that ended
     * returns, while the other player is plainly alive.
     *
     * <p>To tell "play still waits" from "play has not yet noticed that the ended player ended", the test notes
     * what a thread that joins the ended player is parked on, and waits until play is parked on something else.
     */
    private static void assertPlayWaitsFor(String stuckName, String holdAt, boolean stuckIsPing)
            throws InterruptedException {
        Table table = new Table(holdAt);
        Background<Void> game = Background.run("[02.6] play(3), with the " + stuckName + " player stuck",
                () -> PingPong.play(3, table));
        Background<Void> joiner = null;
        Thread stuck = null;
        Thread ended = null;
        try {
            await("[02.6] the " + stuckName + " player to hit \"" + holdAt + "\"").atMost(PATIENCE)
                    .failFast("[02.6] play(3) returned before \"" + holdAt + "\" was hit (README 02.6)", () -> {
                        game.rethrowIfFailed();
                        return game.isDone();
                    })
                    .until(() -> table.held.getCount() == 0);
            stuck = stuckIsPing ? table.pinger() : table.ponger();
            ended = stuckIsPing ? table.ponger() : table.pinger();
            Thread other = ended;
            String otherName = stuckIsPing ? "pong" : "ping";
            await("[02.6] the " + otherName + " player to wait for the ball while \"" + holdAt + "\" is held")
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(2)).until(() -> isParked(other));
            joiner = Joins.joining(other, "02.6", "the " + otherName + " player");
            Set<String> joiningTheEndedPlayer = Set.of(Joins.joinOf(joiner));

            other.interrupt();
            await("[02.6] the " + otherName + " player, interrupted while it waited for the ball, to end: a player "
                  + "that is interrupted must stop playing; catch InterruptedException and return (README 02.6)")
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .until(() -> other.getState() == Thread.State.TERMINATED);
            table.release.countDown(); // its next hand-off finds nobody: the stuck player waits for ever

            Thread stuckPlayer = stuck;
            await("[02.6] play to return, or to wait for the " + stuckName + " player").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> game.isDone()
                                 || isParked(stuckPlayer) && Joins.settled(game, joiningTheEndedPlayer));
            game.rethrowIfFailed();
            assertThat(game.isDone())
                    .as("[02.6] play returned while the %s player was still running (%s): the %s player had ended, "
                        + "but play must return only when both players have ended. Wait for both threads: join() "
                        + "each of them (README 02.6)", stuckName, stuckPlayer.getState(), otherName)
                    .isFalse();
        } finally {
            table.release.countDown();
            game.thread().interrupt(); // play is interrupted: it interrupts both players, which end
            game.join(PATIENCE);
            for (Thread player : new Thread[] {stuck, ended}) {
                if (player != null) {
                    player.interrupt();
                    player.join(PATIENCE);
                }
            }
            stop(joiner);
        }
    }

    @Nested
    @TimeLimit(seconds = 30) // room for the clean-up after a player that swallows its interrupt, so that its failure shows
    @DisplayName("when one player has ended and the other cannot finish")
    class WhenOnePlayerCannotFinish {

        @Test
        @DisplayName("play waits for the pong player, although the ping player has ended")
        void playWaitsForThePongPlayer() throws InterruptedException {
            assertPlayWaitsFor("pong", "pong 1", false);
        }

        @Test
        @DisplayName("play waits for the ping player, although the pong player has ended")
        void playWaitsForThePingPlayer() throws InterruptedException {
            assertPlayWaitsFor("ping", "ping 2", true);
        }
    }

    @Test
    @DisplayName("an interrupted play throws InterruptedException, and both players end")
    void anInterruptedPlayStopsBothPlayers() throws InterruptedException {
        Table table = new Table("ping 2");
        Background<String> game = Background.call("[02.6] play(3), interrupted while ping holds the ball", () -> {
            try {
                PingPong.play(3, table);
                return "returned";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        try {
            await("[02.6] the ping player to hit \"ping 2\"").atMost(PATIENCE)
                    .failFast("[02.6] play(3) returned before \"ping 2\" was hit (README 02.6)", () -> {
                        game.rethrowIfFailed();
                        return game.isDone();
                    })
                    .until(() -> table.held.getCount() == 0);
            Thread ponger = table.ponger();
            Thread pinger = table.pinger();
            await("[02.6] the pong player to wait for the ball").atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .until(() -> isParked(ponger));
            awaitWaiting(game, "02.6", "play returned while the ping player held the ball in round 2");

            game.thread().interrupt();
            assertThat(game.await(PATIENCE))
                    .as("[02.6] play, interrupted while it waits for the players, should throw InterruptedException "
                        + "(README 02.6)")
                    .isEqualTo("interrupted");
            await("[02.6] both players to end after play was interrupted: play must interrupt them before it "
                  + "throws, and a player that is interrupted must stop playing (README 02.6)")
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                    .until(() -> pinger.getState() == Thread.State.TERMINATED
                                 && ponger.getState() == Thread.State.TERMINATED);
        } finally {
            table.release.countDown();
            stop(game);
            for (Thread player : List.copyOf(table.pingers)) {
                player.interrupt();
            }
            for (Thread player : List.copyOf(table.pongers)) {
                player.interrupt();
            }
        }
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
