package workshop.goroutines;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;
import workshop.support.testing.Patience;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leak this exercise is about is reported by the workshop's leak detector, which fails every test that leaves a
 * thread it started alive: read its report to find the stuck threads and where they wait.
 */
@Tag("01.7")
@Tag("leak") // on the starter this exercise fails on its leak alone: that leak is the exercise
@DisplayName("01.7 Find and fix a leaked virtual thread")
class FirstResponseTest {

    private static final Duration PATIENCE = Patience.seconds(5);

    private final Set<Thread> mirrorThreads = ConcurrentHashMap.newKeySet();

    /** A mirror that notes the thread it is asked on. */
    private Callable<String> mirror(Callable<String> answer) {
        return () -> {
            mirrorThreads.add(Thread.currentThread());
            return answer.call();
        };
    }

    private void assertEachMirrorAskedOnItsOwnVirtualThread(int mirrors) {
        assertThat(mirrorThreads)
                .as("[01.7] each mirror should be asked on its own virtual thread (README 01.7)")
                .hasSize(mirrors)
                .allMatch(Thread::isVirtual);
    }

    @Test
    @DisplayName("returns the first answer, and the slower mirrors' threads end once they answer")
    void returnsTheFirstAnswerAndLeavesNoThreadBehind() throws InterruptedException {
        CountDownLatch slowMayAnswer = new CountDownLatch(1);
        Callable<String> slow = () -> {
            slowMayAnswer.await();
            return "slow";
        };
        List<Callable<String>> mirrors = List.of(mirror(slow), mirror(() -> "fast"), mirror(slow));

        Background<String> call = Background.call("[01.7] fastest", () -> FirstResponse.fastest(mirrors));
        String answer;
        try {
            answer = call.await(PATIENCE);
        } finally {
            slowMayAnswer.countDown(); // the slow mirrors answer now, after fastest returned
        }

        assertThat(answer).as("[01.7] the first answer").isEqualTo("fast");
        await("[01.7] every mirror asked").atMost(PATIENCE).until(() -> mirrorThreads.size() == 3);
        assertEachMirrorAskedOnItsOwnVirtualThread(3);
    }

    @Test
    @DisplayName("leaves no thread behind when every mirror answers at once")
    void leavesNoThreadBehindWhenEveryMirrorAnswersAtOnce() throws InterruptedException {
        List<Callable<String>> mirrors = List.of(mirror(() -> "a"), mirror(() -> "b"), mirror(() -> "c"));

        String answer = Background.call("[01.7] fastest", () -> FirstResponse.fastest(mirrors)).await(PATIENCE);

        assertThat(answer).as("[01.7] the answer of one of the mirrors").isIn("a", "b", "c");
        await("[01.7] every mirror asked").atMost(PATIENCE).until(() -> mirrorThreads.size() == 3);
        assertEachMirrorAskedOnItsOwnVirtualThread(3);
    }

    @Test
    @DisplayName("waits for the first answer parked, and answers interruption while it waits")
    void waitsParkedAndAnswersInterruption() throws InterruptedException {
        CountDownLatch mayAnswer = new CountDownLatch(1);
        Callable<String> slow = () -> {
            mayAnswer.await();
            return "slow";
        };
        List<Callable<String>> mirrors = List.of(mirror(slow), mirror(slow));
        Background<String> call = Background.call("[01.7] fastest, interrupted", () -> {
            try {
                return "returned " + FirstResponse.fastest(mirrors);
            } catch (InterruptedException e) {
                return "threw InterruptedException";
            }
        });
        try {
            Parked.awaitWaiting(call, "01.7", "fastest returned before any mirror had answered");
            call.thread().interrupt();
            assertThat(Parked.awaitWatching("01.7", "an interrupted fastest should end with InterruptedException; it "
                    + "went on waiting: is the InterruptedException caught and the wait retried?", call))
                    .as("[01.7] fastest interrupted while it waits for the first answer (README 01.7)")
                    .isEqualTo("threw InterruptedException");
        } finally {
            mayAnswer.countDown(); // the mirrors answer now: with the fix, their threads end
            call.join(PATIENCE);
        }
        await("[01.7] every mirror asked").atMost(PATIENCE).until(() -> mirrorThreads.size() == 2);
    }
}
